package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitException;
import io.smallrye.faulttolerance.api.RateLimitType;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * One hosted cluster's ECI behind a SmallRye Fault Tolerance guard of its own: retries with
 * exponential back-off and jitter for throttling and transient failures only, a circuit breaker
 * that opens on transient failures, a timeout per operation, a bulkhead and a rate limit. One guard
 * per cluster, so one cluster's throttled AccessKey or unreachable region never opens a breaker or
 * fills a bulkhead of another. Every failure still reaches the engine as an {@link EciException}
 * whose kind says what to do, as the port promises: an open breaker, a full bulkhead, the rate
 * limit and a timeout are transient.
 */
final class GuardedInstances implements ContainerInstances {

  /** Calls a second one cluster may make; above it calls wait their turn through retries. */
  static final int CALLS_PER_SECOND = 50;

  /** How long an open breaker refuses calls before it lets a trial call through. */
  static final Duration BREAKER_DELAY = Duration.ofSeconds(30);

  private final ContainerInstances delegate;
  private final EciTrouble trouble;
  private final Guard guard;

  GuardedInstances(ContainerInstances delegate, String cluster, EciTrouble trouble) {
    this(delegate, cluster, trouble, BREAKER_DELAY);
  }

  /** With another breaker delay: tests keep a breaker opening again and again in seconds. */
  GuardedInstances(
      ContainerInstances delegate, String cluster, EciTrouble trouble, Duration breakerDelay) {
    this.delegate = delegate;
    this.trouble = trouble;
    this.guard =
        Guard.create()
            .withDescription(description(cluster))
            .withRetry()
            .maxRetries(5)
            .delay(200, ChronoUnit.MILLIS)
            .jitter(100, ChronoUnit.MILLIS)
            .maxDuration(60, ChronoUnit.SECONDS)
            .whenException(GuardedInstances::retryable)
            .withExponentialBackoff()
            .maxDelay(10, ChronoUnit.SECONDS)
            .done()
            .done()
            .withCircuitBreaker()
            .when(GuardedInstances::isTransient)
            .requestVolumeThreshold(10)
            .failureRatio(1.0)
            .delay(breakerDelay.toMillis(), ChronoUnit.MILLIS)
            .done()
            .withTimeout()
            .duration(30, ChronoUnit.SECONDS)
            .done()
            .withBulkhead()
            .limit(8)
            .done()
            .withRateLimit()
            .limit(CALLS_PER_SECOND)
            .window(1, ChronoUnit.SECONDS)
            .type(RateLimitType.SMOOTH)
            .done()
            .build();
  }

  @Override
  public String create(CreateInstance create) {
    return call(() -> delegate.create(create), String.class);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Instance> describeByTag(String key, String value) {
    return call(() -> delegate.describeByTag(key, value), List.class);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<InstanceState> statusByTag(String key, String value) {
    return call(() -> delegate.statusByTag(key, value), List.class);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Instance> describeByIds(List<String> ids) {
    return call(() -> delegate.describeByIds(ids), List.class);
  }

  @Override
  public void delete(String instanceId) {
    call(
        () -> {
          delegate.delete(instanceId);
          return Boolean.TRUE;
        },
        Boolean.class);
  }

  private <T> T call(Callable<T> attempt, Class<T> type) {
    try {
      return guard.call(() -> observed(attempt), type);
    } catch (EciException e) {
      throw e;
    } catch (CircuitBreakerOpenException e) {
      // The refusal names the breaker and the cause it opened for, not only that it is open.
      throw transientFailure("CircuitOpen", trouble.refused(), e);
    } catch (BulkheadException e) {
      throw transientFailure("TooManyCalls", "this cluster already has 8 ECI calls in flight", e);
    } catch (TimeoutException e) {
      throw transientFailure("Timeout", "ECI did not answer within 30 s", e);
    } catch (RateLimitException e) {
      throw transientFailure(
          "RateLimited",
          "this cluster made more than " + CALLS_PER_SECOND + " ECI calls in a second",
          e);
    } catch (Exception e) {
      throw transientFailure("Unexpected", String.valueOf(e.getMessage()), e);
    }
  }

  /** The guard's description, which SmallRye tags its meters with. */
  static String description(String cluster) {
    return "ECI of cluster " + cluster;
  }

  /** One attempt that reached ECI, its outcome told to the cluster's {@link EciTrouble}. */
  private <T> T observed(Callable<T> attempt) throws Exception {
    try {
      T result = attempt.call();
      trouble.succeeded();
      return result;
    } catch (EciException e) {
      trouble.failed(e);
      if (!e.isRetryable() && e.kind() != EciException.Kind.AUTHENTICATION) {
        // ECI answered: the request was wrong, not ECI down.
        trouble.succeeded();
      }
      throw e;
    }
  }

  private static EciException transientFailure(String code, String message, Exception cause) {
    return new EciException(EciException.Kind.TRANSIENT, code, message, cause);
  }

  private static boolean retryable(Throwable e) {
    return (e instanceof EciException eci && eci.isRetryable())
        || e instanceof RateLimitException
        || e instanceof BulkheadException;
  }

  private static boolean isTransient(Throwable e) {
    return e instanceof EciException eci && eci.kind() == EciException.Kind.TRANSIENT
        || e instanceof TimeoutException;
  }
}
