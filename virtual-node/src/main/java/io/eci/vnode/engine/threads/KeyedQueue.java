package io.eci.vnode.engine.threads;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A work queue of keys (namespace/name) in which one key is handled by at most one worker at a
 * time, a key enqueued while it is being handled is handled once more afterwards, and a key whose
 * handler failed or asked to be tried again later is retried with a capped exponential back-off.
 * Informer callbacks only enqueue; the handler re-reads current state.
 */
public final class KeyedQueue {

  private static final Logger LOG = LoggerFactory.getLogger(KeyedQueue.class);

  /** The longest back-off between two attempts of one key. */
  static final Duration MAX_BACK_OFF = Duration.ofSeconds(30);

  /** Handles one key and says whether it is done. */
  @FunctionalInterface
  public interface Handler {
    /** Handles the key; throws when it failed, returns whether to try again later. */
    Outcome handle(String key);
  }

  /**
   * What a handler asks of the queue for the key it handled, built by {@link #done()} and {@link
   * #requeueLater(String)}.
   *
   * @param waitingFor why the key is to be tried again; null when it is done
   */
  public record Outcome(String waitingFor) {

    private static final Outcome DONE = new Outcome(null);

    /** Nothing is left to do for the key until it is enqueued again. */
    public static Outcome done() {
      return DONE;
    }

    /**
     * The key cannot go on yet for an expected reason (a pod waits for a ConfigMap that does not
     * exist yet): try again after the back-off. Not a failure, so logged at DEBUG only.
     */
    public static Outcome requeueLater(String waitingFor) {
      return new Outcome(waitingFor);
    }

    /** Whether the key is to be tried again later. */
    public boolean requeues() {
      return waitingFor != null;
    }
  }

  private enum State {
    QUEUED,
    RUNNING,
    RUNNING_AND_DIRTY
  }

  private final String name;
  private final Lane lane;
  private final Handler handler;
  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final String clusterId;

  /** A queue whose handler is done with a key unless it throws. */
  public KeyedQueue(String name, String clusterId, Lane lane, Consumer<String> handler) {
    this(
        name,
        clusterId,
        lane,
        (Handler)
            key -> {
              handler.accept(key);
              return Outcome.done();
            });
  }

  public KeyedQueue(String name, String clusterId, Lane lane, Handler handler) {
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
    } catch (RejectedExecutionException e) {
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
      Outcome outcome = handler.handle(key);
      if (outcome.requeues()) {
        retry = backOff(key);
        LOG.debug(
            "{}: {} waits for {}; trying again in {}", name, key, outcome.waitingFor(), retry);
      } else {
        attempts.remove(key);
      }
    } catch (RuntimeException e) {
      retry = backOff(key);
      LOG.warn(
          "{}: {} failed (attempt {}), retrying in {}", name, key, attempts.get(key), retry, e);
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

  /** 400 ms after the first attempt, doubling, at most {@link #MAX_BACK_OFF}. */
  private Duration backOff(String key) {
    int n = attempts.merge(key, 1, Integer::sum);
    return backOff(n);
  }

  /** The wait after the {@code attempt}th attempt in a row that did not finish the key. */
  static Duration backOff(int attempt) {
    return Duration.ofMillis(Math.min(200L << Math.min(attempt, 8), MAX_BACK_OFF.toMillis()));
  }
}
