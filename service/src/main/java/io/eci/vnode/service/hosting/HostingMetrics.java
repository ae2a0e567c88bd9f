package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Prometheus figures of the clusters this replica hosts, tagged by cluster and tenant: pods by
 * phase, node readiness, the create latency histogram, ECI calls by operation and failures by error
 * code; and the claims it took and gave up. Meters of a cluster come and go with its engine.
 */
final class HostingMetrics {

  private static final List<String> PHASES = List.of("Pending", "Running", "Succeeded", "Failed");
  private static final Duration[] CREATE_BUCKETS = {
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final MeterRegistry registry;
  private final String replica;
  private final Map<UUID, List<Meter>> byCluster = new ConcurrentHashMap<>();

  HostingMetrics(MeterRegistry registry, String replica) {
    this.registry = registry;
    this.replica = replica;
  }

  /** Registers a hosted cluster's meters; they read the engine's status snapshot when scraped. */
  void hosting(HostedCluster cluster, VirtualNode engine) {
    Tags tags = Tags.of("cluster", cluster.id().toString(), "tenant", cluster.tenantId());
    List<Meter> meters = new ArrayList<>();
    for (String phase : PHASES) {
      meters.add(
          gauge(
              "vnode_cluster_pods",
              tags.and("phase", phase),
              () -> engine.status().podsByPhase().getOrDefault(phase, 0L)));
    }
    meters.add(gauge("vnode_cluster_node_ready", tags, () -> engine.status().nodeReady() ? 1 : 0));
    meters.add(gauge("vnode_cluster_owner", tags, () -> engine.status().owner() ? 1 : 0));
    Timer creates =
        Timer.builder("vnode_pod_create")
            .description("pod seen bound to the virtual node -> its ECI instance created")
            .tags(tags)
            // Fixed buckets: a percentile histogram would be ~70 series per cluster.
            .serviceLevelObjectives(CREATE_BUCKETS)
            .register(registry);
    engine.onInstanceCreated(creates::record);
    meters.add(creates);
    byCluster.put(cluster.id(), meters);
    registry.counter("vnode_hosting_claims_started_total", "replica", replica).increment();
  }

  /**
   * Adds meters for ECI operations and error codes seen for the first time in this snapshot: calls
   * by operation and failures by error code, read from the engine's counters when scraped.
   */
  void observe(HostedCluster cluster, VirtualNode engine, VirtualNode.Status status) {
    List<Meter> meters = byCluster.get(cluster.id());
    if (meters == null) {
      return;
    }
    Tags tags = Tags.of("cluster", cluster.id().toString(), "tenant", cluster.tenantId());
    status
        .eciCalls()
        .keySet()
        .forEach(
            op ->
                addOnce(
                    meters,
                    "vnode_eci_calls_total",
                    tags.and("operation", op),
                    () -> engine.status().eciCalls().getOrDefault(op, 0L)));
    status
        .eciErrors()
        .keySet()
        .forEach(
            code ->
                addOnce(
                    meters,
                    "vnode_eci_errors_total",
                    tags.and("code", code),
                    () -> engine.status().eciErrors().getOrDefault(code, 0L)));
  }

  private void addOnce(List<Meter> meters, String name, Tags tags, Supplier<Number> value) {
    if (registry.find(name).tags(tags).meter() == null) {
      meters.add(
          FunctionCounter.builder(name, value, v -> v.get().doubleValue())
              .tags(tags)
              .register(registry));
    }
  }

  /** Drops a cluster's meters when its engine stops. */
  void stopped(UUID clusterId) {
    List<Meter> meters = byCluster.remove(clusterId);
    if (meters != null) {
      meters.forEach(registry::remove);
      registry.counter("vnode_hosting_claims_stopped_total", "replica", replica).increment();
    }
  }

  private Meter gauge(String name, Tags tags, Supplier<Number> value) {
    return Gauge.builder(name, value).tags(tags).register(registry);
  }
}
