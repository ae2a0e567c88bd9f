package io.eci.vnode.sandbox.eci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VPC action the product uses to learn each vSwitch's zone: DescribeVSwitches over the
 * sandbox's vSwitches, all in one VPC. VPC answers use wrapped arrays ({@code
 * "VSwitches":{"VSwitch":[...]}}), like RAM's and unlike ECI's.
 */
final class VpcActions {

  /** The one VPC every sandbox vSwitch belongs to. */
  static final String VPC_ID = "vpc-sandbox";

  private static final int PAGE_SIZE_MAX = 50;
  private static final int PAGE_SIZE_DEFAULT = 10;

  private final EciSandbox.Settings settings;
  private final Map<String, VSwitch.Addresses> addresses;

  VpcActions(EciSandbox.Settings settings, Map<String, VSwitch.Addresses> addresses) {
    this.settings = settings;
    this.addresses = addresses;
  }

  Map<String, Object> handle(String action, RpcRequest r) {
    String region = r.required("RegionId");
    if (!region.equals(settings.region())) {
      throw RpcError.regionNotServed(region, settings.region());
    }
    return switch (action) {
      case "DescribeVSwitches" -> describeVSwitches(r);
      default -> throw RpcError.actionNotFound(action);
    };
  }

  /**
   * Filters by id, VPC and zone; an id or VPC that does not exist matches nothing, not an error.
   */
  private Map<String, Object> describeVSwitches(RpcRequest r) {
    int pageSize = r.integer("PageSize", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX);
    int pageNumber = r.integer("PageNumber", 1, 1, Integer.MAX_VALUE);
    Optional<String> id = r.optional("VSwitchId");
    Optional<String> vpc = r.optional("VpcId");
    Optional<String> zone = r.optional("ZoneId");
    List<VSwitch> matching =
        settings.vSwitches().stream()
            .filter(v -> id.isEmpty() || id.get().equals(v.id()))
            .filter(v -> vpc.isEmpty() || vpc.get().equals(VPC_ID))
            .filter(v -> zone.isEmpty() || zone.get().equals(v.zoneId()))
            .toList();
    List<Map<String, Object>> page =
        matching.stream()
            .skip((pageNumber - 1L) * pageSize)
            .limit(pageSize)
            .map(this::vSwitch)
            .toList();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("TotalCount", matching.size());
    answer.put("PageNumber", pageNumber);
    answer.put("PageSize", pageSize);
    answer.put("VSwitches", Map.of("VSwitch", page));
    return answer;
  }

  private Map<String, Object> vSwitch(VSwitch v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("VSwitchId", v.id());
    m.put("ZoneId", v.zoneId());
    m.put("CidrBlock", v.cidr());
    m.put("Status", "Available");
    m.put("VpcId", VPC_ID);
    m.put("VSwitchName", v.id());
    m.put("AvailableIpAddressCount", addresses.get(v.id()).available());
    return m;
  }
}
