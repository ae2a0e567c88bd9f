package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.threads.KeyedQueue;
import io.eci.vnode.engine.threads.KeyedQueue.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A queue the test drains on its own thread: keys wait until {@link #drain()}, a key enqueued twice
 * before that is handled once (as in {@link KeyedQueue}), and a key whose handler failed or asked
 * to be tried later waits for {@link #retry()} instead of a back-off.
 */
final class ManualQueue implements PodQueue {

  private final Set<String> queued = new LinkedHashSet<>();
  private final Set<String> toRetry = new LinkedHashSet<>();
  private final List<Outcome> outcomes = new ArrayList<>();
  private final List<RuntimeException> failures = new ArrayList<>();
  private KeyedQueue.Handler handler;

  void handledBy(KeyedQueue.Handler handler) {
    this.handler = handler;
  }

  @Override
  public void enqueue(String key) {
    queued.add(key);
  }

  int size() {
    return queued.size();
  }

  /** Handles every queued key, and those they enqueue; true when there was any. */
  boolean drain() {
    boolean any = false;
    while (!queued.isEmpty()) {
      String key = queued.iterator().next();
      queued.remove(key);
      any = true;
      try {
        Outcome outcome = handler.handle(key);
        outcomes.add(outcome);
        if (outcome.requeues()) {
          toRetry.add(key);
        }
      } catch (RuntimeException e) {
        failures.add(e);
        toRetry.add(key);
      }
    }
    return any;
  }

  /** Hands the keys that failed or asked to wait back to the queue, as the back-off would. */
  void retry() {
    queued.addAll(toRetry);
    toRetry.clear();
  }

  Set<String> waiting() {
    return Set.copyOf(toRetry);
  }

  List<Outcome> outcomes() {
    return List.copyOf(outcomes);
  }

  List<RuntimeException> failures() {
    return List.copyOf(failures);
  }
}
