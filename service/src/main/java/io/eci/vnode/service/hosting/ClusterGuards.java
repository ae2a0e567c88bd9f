package io.eci.vnode.service.hosting;

import com.aliyuncs.exceptions.ClientException;
import io.eci.vnode.engine.eci.EciException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * SmallRye Fault Tolerance guards for the calls the service itself makes to a cluster's API server
 * and to ECI/VPC for it (the zone lookup, the webhook, the drain's clean-up), one pair per cluster.
 * Per cluster, because a guard's circuit breaker and bulkhead are shared by everything that uses
 * it: one guard for all clusters would let one cluster's dead API server open the breaker for the
 * others, which is exactly what isolation forbids. (Annotations would give one breaker per method,
 * hence the programmatic API.) The engine's own calls are bounded by its lanes and its cluster's
 * {@link GuardedInstances}.
 *
 * <p>Each guard: a timeout (the call is interrupted), two retries 200 ms apart, a circuit breaker
 * that opens for 30 s when 3 of the last 4 calls failed, and a bulkhead of 4 concurrent calls.
 *
 * <p>SmallRye registers each guard's meters (tagged {@code method=<description>}) once and never
 * removes them, so {@link #forget} removes them: otherwise a deregistered cluster's meters would
 * stay scraped for ever, and its next guard (the cluster registered again) would find its gauges
 * taken.
 */
@ApplicationScoped
public class ClusterGuards {

  /** The two boundaries of a cluster. */
  public enum Boundary {
    API_SERVER(10_000),
    ECI(15_000);

    private final long timeoutMillis;

    Boundary(long timeoutMillis) {
      this.timeoutMillis = timeoutMillis;
    }
  }

  private record Key(UUID cluster, Boundary boundary) {}

  private final Map<Key, Guard> guards = new ConcurrentHashMap<>();
  private final Map<UUID, EciTrouble> troubles = new ConcurrentHashMap<>();
  private final Map<UUID, Long> registrationVersions = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  ClusterGuards(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Runs {@code call} under the cluster's guard for {@code boundary}.
   *
   * @throws RuntimeException the call's own failure after the retries, or a SmallRye
   *     TimeoutException, CircuitBreakerOpenException or BulkheadException; checked failures are
   *     wrapped in an IllegalStateException. On the ECI boundary an open breaker is an
   *     IllegalStateException reading "circuit open since …, last cause: …" instead
   */
  public <T> T call(UUID cluster, Boundary boundary, Class<T> type, Callable<T> call) {
    Guard guard = guards.computeIfAbsent(new Key(cluster, boundary), ClusterGuards::guard);
    EciTrouble trouble = boundary == Boundary.ECI ? trouble(cluster) : null;
    try {
      return guard.call(trouble == null ? call : () -> observed(trouble, call), type);
    } catch (CircuitBreakerOpenException e) {
      if (trouble == null) {
        throw e;
      }
      // What the owner needs is why the breaker opened, not only that it is open.
      throw new IllegalStateException(trouble.refused(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Runs {@code call}, which has no result, under the cluster's guard for {@code boundary}. */
  public void run(UUID cluster, Boundary boundary, Runnable call) {
    call(
        cluster,
        boundary,
        Boolean.class,
        () -> {
          call.run();
          return Boolean.TRUE;
        });
  }

  /**
   * What the cluster's ECI has been failing with, shared by these guards and its engine's {@link
   * GuardedInstances}, so the cause outlives an engine's restart.
   */
  EciTrouble trouble(UUID cluster) {
    return troubles.computeIfAbsent(
        cluster, id -> new EciTrouble(id.toString(), Clock.systemUTC()));
  }

  /**
   * Starts the cluster's guards afresh when its registration changed since they were last used for
   * it: a breaker opened by the old credentials or vSwitches would otherwise refuse the new ones
   * for up to 30 s. The ECI trouble stays, so the last cause is shown until a call succeeds.
   */
  void renew(UUID cluster, long registrationVersion) {
    Long before = registrationVersions.put(cluster, registrationVersion);
    if (before != null && before != registrationVersion) {
      for (Boundary b : Boundary.values()) {
        Key key = new Key(cluster, b);
        guards.remove(key);
        removeMeters(description(key));
      }
    }
  }

  /**
   * Drops the cluster's guards, its ECI trouble and their meters (the engine's {@link
   * GuardedInstances} meters too), e.g. once it is deregistered.
   */
  public void forget(UUID cluster) {
    troubles.remove(cluster);
    registrationVersions.remove(cluster);
    for (Boundary b : Boundary.values()) {
      Key key = new Key(cluster, b);
      guards.remove(key);
      removeMeters(description(key));
    }
    removeMeters(GuardedInstances.description(cluster.toString()));
  }

  /**
   * Drops the meters of the cluster's previous engine's {@link GuardedInstances}, before a new one
   * registers its own under the same description (SmallRye would warn that they are taken).
   */
  void forgetEngineMeters(UUID cluster) {
    removeMeters(GuardedInstances.description(cluster.toString()));
  }

  private void removeMeters(String description) {
    registry.getMeters().stream()
        .filter(meter -> description.equals(meter.getId().getTag("method")))
        .forEach(registry::remove);
  }

  /** One call through the ECI boundary, its outcome told to the cluster's trouble. */
  private static <T> T observed(EciTrouble trouble, Callable<T> call) throws Exception {
    try {
      T result = call.call();
      trouble.succeeded();
      return result;
    } catch (EciException e) {
      trouble.failed(e);
      throw e;
    } catch (RuntimeException e) {
      trouble.failed(codeOf(e), e.getMessage(), true);
      throw e;
    }
  }

  /** The cloud's error code behind a failure, when the SDK gave one. */
  private static String codeOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ClientException client) {
        return client.getErrCode();
      }
    }
    return null;
  }

  private static String description(Key key) {
    return "cluster " + key.cluster() + " " + key.boundary();
  }

  private static Guard guard(Key key) {
    return Guard.create()
        .withDescription(description(key))
        .withTimeout()
        .duration(key.boundary().timeoutMillis, ChronoUnit.MILLIS)
        .done()
        .withRetry()
        .maxRetries(2)
        .delay(200, ChronoUnit.MILLIS)
        // An open breaker or a full bulkhead is an answer, not a failure to retry.
        .abortOn(
            List.of(
                IllegalArgumentException.class,
                CircuitBreakerOpenException.class,
                BulkheadException.class))
        .done()
        .withCircuitBreaker()
        .requestVolumeThreshold(4)
        .failureRatio(0.75)
        .delay(30, ChronoUnit.SECONDS)
        .done()
        .withBulkhead()
        .limit(4)
        .done()
        .build();
  }
}
