package io.eci.vnode.sandbox.eci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the region offers: DescribeRegions (its zones are those of the sandbox's vSwitches) and
 * DescribeAvailableResource (a zone under a stock-out fault has none).
 */
final class RegionActions {

  private final EciSandbox.Settings settings;
  private final Faults faults;

  RegionActions(EciSandbox.Settings settings, Faults faults) {
    this.settings = settings;
    this.faults = faults;
  }

  Map<String, Object> regions() {
    List<String> zones = zones();
    return Map.of(
        "Regions",
        List.of(
            Map.of(
                "RegionId",
                settings.region(),
                "RegionEndpoint",
                "eci." + settings.region() + ".aliyuncs.com",
                "RecommendZones",
                zones,
                "Zones",
                zones)));
  }

  /** Wrapped arrays: this action's response class reads ECS-style {"X":{"Y":[...]}} lists. */
  Map<String, Object> availableResource() {
    List<Map<String, Object>> zones = new ArrayList<>();
    for (String zone : zones()) {
      String category = faults.stockOutIn(zone).isPresent() ? "WithoutStock" : "WithStock";
      Map<String, Object> supported = Map.of("Value", "ecs.c6.large", "StatusCategory", category);
      Map<String, Object> resource =
          Map.of(
              "Type",
              "InstanceType",
              "SupportedResources",
              Map.of("SupportedResource", List.of(supported)));
      zones.add(
          Map.of(
              "ZoneId", zone,
              "RegionId", settings.region(),
              "AvailableResources", Map.of("AvailableResource", List.of(resource))));
    }
    return Map.of("AvailableZones", Map.of("AvailableZone", zones));
  }

  private List<String> zones() {
    return settings.vSwitches().stream().map(VSwitch::zoneId).distinct().toList();
  }
}
