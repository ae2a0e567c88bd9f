package io.eci.vnode.service.hosting;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Waits for a condition that only asking can tell, such as ECI no longer listing a cluster's
 * instances or a Lease another replica holds being released: the question is asked on a timer
 * thread at a fixed interval, and the waiting thread blocks on the answer up to a deadline instead
 * of sleeping between questions itself. The timer's threads end when idle.
 */
final class Polling implements AutoCloseable {

  private final ScheduledThreadPoolExecutor timer;

  Polling(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    this.timer =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    timer.setKeepAliveTime(30, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    timer.setRemoveOnCancelPolicy(true);
  }

  /**
   * Asks {@code check} now and then every {@code interval} (counted from the end of the last ask)
   * until it answers.
   *
   * @return the answer, or empty when {@code deadline} passed first
   * @throws RuntimeException what {@code check} threw, which ends the wait
   */
  <T> Optional<T> until(Duration interval, Instant deadline, Supplier<Optional<T>> check) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    ScheduledFuture<?> asking =
        timer.scheduleWithFixedDelay(
            () -> {
              if (answer.isDone()) {
                return;
              }
              try {
                check.get().ifPresent(answer::complete);
              } catch (RuntimeException e) {
                answer.completeExceptionally(e);
              }
            },
            0,
            interval.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      // The timed wait runs on the monotonic clock and the deadline is wall-clock time: wait again
      // until the deadline has passed on the wall clock too, so "empty" always means it passed.
      while (true) {
        long left = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        try {
          return Optional.of(answer.get(left, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          if (left == 0) {
            return Optional.empty();
          }
        }
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    } finally {
      answer.cancel(false);
      asking.cancel(false);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
