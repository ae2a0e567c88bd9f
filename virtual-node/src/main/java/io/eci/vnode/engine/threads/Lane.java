package io.eci.vnode.engine.threads;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of one virtual node's work (creating instances, writing statuses, recording events...)
 * on the host's shared workers: tasks run in submission order, at most {@code limit} at once. A
 * lane holds no thread while it has nothing to do, and separate lanes keep one kind of work from
 * queueing behind another: a burst of status writes never delays the next instance create. Closing
 * a lane drops what it has not started.
 */
public final class Lane implements Executor {

  private static final Logger LOG = LoggerFactory.getLogger(Lane.class);

  private final String name;
  private final Executor workers;
  private final ScheduledExecutorService timer;
  private final int limit;
  private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  Lane(String name, Executor workers, ScheduledExecutorService timer, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a lane needs a limit of at least 1, got " + limit);
    }
    this.name = name;
    this.workers = workers;
    this.timer = timer;
    this.limit = limit;
  }

  @Override
  public void execute(Runnable task) {
    if (closed.get()) {
      throw new RejectedExecutionException("lane " + name + " is closed");
    }
    pending.add(task);
    drain();
  }

  /** Runs the task on this lane after the delay; the timer thread itself never runs it. */
  public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return timer.schedule(() -> submitQuietly(task), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs the task on this lane once every period. A run is never started twice at once: a run that
   * comes due while the previous one still runs starts as soon as that one ends, instead of being
   * skipped to the next period (which would make the wait two periods). Several due runs while one
   * is running start only one more.
   */
  public ScheduledFuture<?> scheduleEvery(Runnable task, Duration period) {
    // 0: idle; 1: running; 2: running, and another run came due meanwhile.
    AtomicInteger state = new AtomicInteger();
    Runnable[] run = new Runnable[1];
    run[0] =
        () -> {
          try {
            task.run();
          } finally {
            // Only 1 or 2 while running: 2 means a run came due meanwhile, so go again.
            if (!state.compareAndSet(1, 0)) {
              state.set(1);
              submitQuietly(run[0]);
            }
          }
        };
    return timer.scheduleAtFixedRate(
        () -> {
          if (state.compareAndSet(0, 1)) {
            submitQuietly(run[0]);
          } else {
            state.compareAndSet(1, 2);
          }
        },
        0,
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void submitQuietly(Runnable task) {
    try {
      execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("lane {} closed; a scheduled task was dropped", name);
    }
  }

  private void drain() {
    while (!pending.isEmpty()) {
      int now = running.get();
      if (now >= limit) {
        return;
      }
      if (running.compareAndSet(now, now + 1)) {
        try {
          workers.execute(this::runPending);
        } catch (RejectedExecutionException e) {
          running.decrementAndGet();
          return;
        }
      }
    }
  }

  private void runPending() {
    try {
      Runnable task;
      while (!closed.get() && (task = pending.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("lane {}: task failed", name, e);
        }
      }
    } finally {
      running.decrementAndGet();
    }
    // A task added between the last poll and the decrement must not be stranded.
    if (!closed.get() && !pending.isEmpty()) {
      drain();
    }
  }

  /** Drops the tasks not started yet; running ones finish. */
  public void close() {
    closed.set(true);
    pending.clear();
  }
}
