package io.eci.vnode.engine.threads;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every virtual node of a host shares: a pool of workers for blocking calls and one
 * timer thread that only hands due work to a {@link Lane}. A virtual node owns no thread of its
 * own, so an idle cluster costs none; its {@link Lane}s bound how many workers it may hold at once,
 * so a cluster whose API server hangs cannot take the workers of the others.
 */
public final class EngineThreads implements AutoCloseable {

  private final ExecutorService workers;
  private final ScheduledExecutorService timer;

  private EngineThreads(ExecutorService workers, ScheduledExecutorService timer) {
    this.workers = workers;
    this.timer = timer;
  }

  /**
   * @param name prefix of the threads' names
   * @param workers how many blocking calls all virtual nodes of the host make at once
   */
  public static EngineThreads create(String name, int workers) {
    return new EngineThreads(
        Executors.newFixedThreadPool(workers, daemons(name + "-worker-")),
        Executors.newSingleThreadScheduledExecutor(daemons(name + "-timer-")));
  }

  /** A lane of at most {@code limit} concurrent tasks on the shared workers. */
  public Lane lane(String name, int limit) {
    return new Lane(name, workers, timer, limit);
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
