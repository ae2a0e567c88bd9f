package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.threads.Lane;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.MDC;

/**
 * A work queue of keys (namespace/name) in which one key is handled by at most one worker at a
 * time, a key enqueued while it is being handled is handled once more afterwards, and a failed key
 * is retried with exponential back-off. Informer callbacks only enqueue; the handler re-reads
 * current state.
 */
public final class KeyedQueue {

  private enum State {
    QUEUED,
    RUNNING,
    RUNNING_AND_DIRTY
  }

  private final String name;
  private final Lane lane;
  private final Consumer<String> handler;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final String clusterId;

  public KeyedQueue(String name, String clusterId, Lane lane, Consumer<String> handler) {
    this.name = name;
    this.clusterId = clusterId;
    this.lane = lane;
    this.handler = handler;
  }

  /** Asks for the key to be handled soon. */
  public void enqueue(String key) {
    boolean[] schedule = {false};
    states.compute(
        key,
        (k, s) -> {
          if (s == null) {
            schedule[0] = true;
            return State.QUEUED;
          }
          return s == State.RUNNING ? State.RUNNING_AND_DIRTY : s;
        });
    if (schedule[0]) {
      submit(key, Duration.ZERO);
    }
  }

  private void submit(String key, Duration delay) {
    try {
      if (delay.isZero()) {
        lane.execute(() -> run(key));
      } else {
        lane.schedule(() -> run(key), delay);
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The engine is stopping: nothing left to do for the key.
      states.remove(key);
    }
  }

  private void run(String key) {
    states.put(key, State.RUNNING);
    MDC.put("cluster", clusterId);
    MDC.put("pod", key);
    Duration retry = null;
    try {
      handler.accept(key);
      failures.remove(key);
    } catch (RuntimeException e) {
      int n = failures.merge(key, 1, Integer::sum);
      retry = Duration.ofMillis(Math.min(200L << Math.min(n, 8), 30_000));
      org.slf4j.LoggerFactory.getLogger(KeyedQueue.class)
          .warn("{}: {} failed (attempt {}), retrying in {}", name, key, n, retry, e);
    } finally {
      MDC.remove("pod");
      MDC.remove("cluster");
    }
    Duration again = retry;
    State after =
        states.compute(
            key, (k, s) -> s == State.RUNNING_AND_DIRTY || again != null ? State.QUEUED : null);
    if (after == State.QUEUED) {
      submit(key, again == null ? Duration.ZERO : again);
    }
  }
}
