package io.eci.vnode.sandbox.eci;

import java.util.Map;

/**
 * The ECI actions: each call goes, once its region is checked, to the part that does it: instance
 * changes, queries, one container's log and exec, metrics, or what the region offers.
 */
final class EciActions {

  private final EciSandbox.Settings settings;
  private final ContainerGroupChanges changes;
  private final ContainerGroupQueries queries;
  private final ContainerActions containers;
  private final ContainerGroupMetrics metrics;
  private final RegionActions region;

  EciActions(
      EciSandbox.Settings settings,
      ContainerGroupStore store,
      Lifecycle lifecycle,
      SandboxClock clock,
      Faults faults,
      Map<String, VSwitch.Addresses> addresses) {
    this.settings = settings;
    LiveGroups live = new LiveGroups(store, lifecycle, clock);
    this.changes = new ContainerGroupChanges(settings, store, live, clock, faults, addresses);
    this.queries = new ContainerGroupQueries(settings, store, lifecycle, clock);
    this.containers = new ContainerActions(live);
    this.metrics = new ContainerGroupMetrics(store, live, clock);
    this.region = new RegionActions(settings, faults);
    // instances restored from a snapshot keep their addresses: none is handed out twice
    for (ContainerGroup g : store.all()) {
      if (g.intranetIp != null && addresses.containsKey(g.vSwitchId)) {
        addresses.get(g.vSwitchId).skipPast(g.intranetIp);
      }
    }
  }

  Map<String, Object> handle(String action, RpcRequest r) {
    checkRegion(r);
    return switch (action) {
      case "CreateContainerGroup" -> changes.create(r);
      case "DescribeContainerGroups" -> queries.describe(r);
      case "DeleteContainerGroup" -> changes.delete(r);
      case "UpdateContainerGroup" -> changes.update(r);
      case "RestartContainerGroup" -> changes.restart(r);
      case "DescribeContainerLog" -> containers.log(r);
      case "ExecContainerCommand" -> containers.exec(r);
      case "DescribeContainerGroupMetric" -> metrics.metric(r);
      case "DescribeMultiContainerGroupMetric" -> metrics.multiMetric(r);
      case "DescribeRegions" -> region.regions();
      case "DescribeContainerGroupStatus" -> queries.status(r);
      case "DescribeAvailableResource" -> region.availableResource();
      default -> throw RpcError.actionNotFound(action);
    };
  }

  private void checkRegion(RpcRequest r) {
    String region = r.required("RegionId");
    if (!region.equals(settings.region())) {
      throw RpcError.regionNotServed(region, settings.region());
    }
  }
}
