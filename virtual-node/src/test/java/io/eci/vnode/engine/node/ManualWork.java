package io.eci.vnode.engine.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/** The node's lane run by hand: a test runs what is queued, and what is due after a delay. */
final class ManualWork implements NodeWork {

  /** A task to run after {@code delay}. */
  record Later(Runnable task, Duration delay) {}

  private final List<Runnable> now = new ArrayList<>();
  private final List<Later> later = new ArrayList<>();
  final List<Duration> periods = new ArrayList<>();
  private boolean closed;

  @Override
  public void execute(Runnable task) {
    if (closed) {
      throw new RejectedExecutionException("closed");
    }
    now.add(task);
  }

  @Override
  public void schedule(Runnable task, Duration delay) {
    later.add(new Later(task, delay));
  }

  @Override
  public void scheduleEvery(Runnable task, Duration period) {
    periods.add(period);
  }

  /** Runs what is queued now, and what those tasks queue, until nothing is. */
  void runQueued() {
    while (!now.isEmpty()) {
      now.remove(0).run();
    }
  }

  /** The delays of the tasks scheduled and not run yet. */
  List<Duration> scheduledDelays() {
    return later.stream().map(Later::delay).toList();
  }

  /** Runs the tasks scheduled so far (as if their delay had passed), then what they queue. */
  void runScheduled() {
    List<Later> due = new ArrayList<>(later);
    later.clear();
    due.forEach(l -> l.task().run());
    runQueued();
  }

  void close() {
    closed = true;
  }
}
