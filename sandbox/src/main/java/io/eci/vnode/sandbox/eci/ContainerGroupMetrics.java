package io.eci.vnode.sandbox.eci;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DescribeContainerGroupMetric and DescribeMultiContainerGroupMetric: one sample per instance, a
 * steady, plausible load derived from its size.
 */
final class ContainerGroupMetrics {

  private final ContainerGroupStore store;
  private final LiveGroups live;
  private final SandboxClock clock;

  ContainerGroupMetrics(ContainerGroupStore store, LiveGroups live, SandboxClock clock) {
    this.store = store;
    this.live = live;
    this.clock = clock;
  }

  Map<String, Object> metric(RpcRequest r) {
    ContainerGroup g = live.get(r.required("ContainerGroupId"));
    return Map.of("ContainerGroupId", g.id, "Records", List.of(record(g, clock.now())));
  }

  /** Instances not found are left out, not an error. */
  Map<String, Object> multiMetric(RpcRequest r) {
    List<Map<String, Object>> monitors = new ArrayList<>();
    for (String id : r.stringArray("ContainerGroupIds")) {
      store
          .find(id)
          .ifPresent(
              g ->
                  monitors.add(
                      Map.of(
                          "ContainerGroupId", g.id, "Records", List.of(record(g, clock.now())))));
    }
    return Map.of("MonitorDatas", monitors);
  }

  private static Map<String, Object> record(ContainerGroup g, Instant now) {
    long limit = (long) (g.cpu * 1000);
    long memory = (long) (g.memory * 1024 * 1024 * 1024);
    Map<String, Object> cpu =
        Map.of(
            "UsageNanoCores",
            limit * 100_000L,
            "UsageCoreNanoSeconds",
            1_000_000_000L,
            "Load",
            0L,
            "Limit",
            limit);
    Map<String, Object> mem =
        Map.of(
            "AvailableBytes",
            memory * 3 / 4,
            "UsageBytes",
            memory / 4,
            "Cache",
            0L,
            "WorkingSet",
            memory / 4,
            "Rss",
            memory / 5);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("Timestamp", GroupJson.time(now));
    record.put("CPU", cpu);
    record.put("Memory", mem);
    record.put(
        "Network",
        Map.of(
            "Interfaces",
            List.of(
                Map.of(
                    "Name",
                    "eth0",
                    "RxBytes",
                    1024L,
                    "TxBytes",
                    2048L,
                    "RxErrors",
                    0L,
                    "TxErrors",
                    0L))));
    record.put(
        "Containers",
        g.containers().stream()
            .map(c -> Map.of("Name", c.name(), "CPU", cpu, "Memory", mem))
            .toList());
    return record;
  }
}
