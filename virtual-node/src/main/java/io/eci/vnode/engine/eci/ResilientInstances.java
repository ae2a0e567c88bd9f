package io.eci.vnode.engine.eci;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The one decorator every ECI call goes through: a client-side rate limit (so one cluster cannot
 * exhaust the account's flow control), retries with equal-jitter exponential back-off for
 * throttling and transient failures, and a circuit breaker that fails fast while ECI keeps failing,
 * then lets one trial call through. Non-retryable failures (bad request, no stock, bad credentials)
 * pass straight to the caller.
 */
public final class ResilientInstances implements ContainerInstances {

  /**
   * @param maxAttempts attempts per call, the first included
   * @param baseBackoff the first back-off; each retry doubles it, up to {@code maxBackoff}
   * @param callsPerSecond the client-side rate limit
   * @param failuresToOpen consecutive transient failures that open the circuit
   * @param openFor how long an open circuit fails fast before one trial call
   */
  public record Policy(
      int maxAttempts,
      Duration baseBackoff,
      Duration maxBackoff,
      double callsPerSecond,
      int failuresToOpen,
      Duration openFor) {

    /** Sensible production values. */
    public static Policy defaults() {
      return new Policy(
          6, Duration.ofMillis(200), Duration.ofSeconds(10), 50, 10, Duration.ofSeconds(30));
    }
  }

  private final ContainerInstances delegate;
  private final Policy policy;
  private final Object limiterLock = new Object();
  private long nextPermitNanos = System.nanoTime();
  private int consecutiveFailures;
  private long openUntilNanos;

  public ResilientInstances(ContainerInstances delegate, Policy policy) {
    this.delegate = delegate;
    this.policy = policy;
  }

  @Override
  public String create(CreateInstance create) {
    return call(() -> delegate.create(create));
  }

  @Override
  public List<Instance> describeByTag(String key, String value) {
    return call(() -> delegate.describeByTag(key, value));
  }

  @Override
  public List<InstanceState> statusByTag(String key, String value) {
    return call(() -> delegate.statusByTag(key, value));
  }

  @Override
  public List<Instance> describeByIds(List<String> ids) {
    return call(() -> delegate.describeByIds(ids));
  }

  @Override
  public void delete(String instanceId) {
    call(
        () -> {
          delegate.delete(instanceId);
          return null;
        });
  }

  /** Whether calls currently fail fast. */
  public synchronized boolean isOpen() {
    return openUntilNanos > System.nanoTime();
  }

  private <T> T call(Supplier<T> attempt) {
    for (int n = 1; ; n++) {
      checkCircuit();
      acquirePermit();
      try {
        T result = attempt.get();
        recordSuccess();
        return result;
      } catch (EciException e) {
        if (e.kind() == EciException.Kind.TRANSIENT) {
          recordTransientFailure();
        }
        if (!e.isRetryable() || n >= policy.maxAttempts()) {
          throw e;
        }
        pause(backoff(n));
      }
    }
  }

  private synchronized void checkCircuit() {
    long now = System.nanoTime();
    if (openUntilNanos > now) {
      throw new EciException(
          EciException.Kind.TRANSIENT,
          "CircuitOpen",
          "ECI failed "
              + policy.failuresToOpen()
              + " times in a row; calls pause until "
              + Duration.ofNanos(openUntilNanos - now).toMillis()
              + " ms from now",
          null);
    }
  }

  private synchronized void recordSuccess() {
    consecutiveFailures = 0;
    openUntilNanos = 0;
  }

  private synchronized void recordTransientFailure() {
    consecutiveFailures++;
    if (consecutiveFailures >= policy.failuresToOpen()) {
      openUntilNanos = System.nanoTime() + policy.openFor().toNanos();
      // The next call after the pause is the trial: one more failure reopens at once.
      consecutiveFailures = policy.failuresToOpen() - 1;
    }
  }

  /**
   * Equal jitter: half the exponential back-off fixed, half random, so retrying clients spread out.
   */
  Duration backoff(int attempt) {
    long exponential = policy.baseBackoff().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(exponential, policy.maxBackoff().toMillis());
    long half = capped / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private void acquirePermit() {
    long interval = (long) (1_000_000_000L / policy.callsPerSecond());
    long wait;
    synchronized (limiterLock) {
      long now = System.nanoTime();
      long slot = Math.max(now, nextPermitNanos);
      nextPermitNanos = slot + interval;
      wait = slot - now;
    }
    pause(Duration.ofNanos(wait));
  }

  private static void pause(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EciException(
          EciException.Kind.TRANSIENT, "Interrupted", "the call was interrupted while waiting", e);
    }
  }
}
