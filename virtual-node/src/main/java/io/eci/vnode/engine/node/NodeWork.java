package io.eci.vnode.engine.node;

import io.eci.vnode.engine.threads.Lane;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where the node's own work runs, one task at a time: the node's {@link Lane} in an engine, a queue
 * run by hand in a test. Once closed, {@link #execute} refuses new work with a {@link
 * RejectedExecutionException} and a scheduled task is dropped quietly.
 */
public interface NodeWork extends Executor {

  /** Runs {@code task} on this work's lane after {@code delay}. */
  void schedule(Runnable task, Duration delay);

  /** Runs {@code task} on this work's lane once every period, never twice at once. */
  void scheduleEvery(Runnable task, Duration period);

  /** The node's work on {@code lane}. */
  static NodeWork on(Lane lane) {
    return new NodeWork() {
      @Override
      public void execute(Runnable task) {
        lane.execute(task);
      }

      @Override
      public void schedule(Runnable task, Duration delay) {
        lane.schedule(task, delay);
      }

      @Override
      public void scheduleEvery(Runnable task, Duration period) {
        lane.scheduleEvery(task, period);
      }
    };
  }
}
