package io.eci.vnode.sandbox.eci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ECS action the product uses to check a cluster's security group before it registers it:
 * DescribeSecurityGroups over the sandbox's security groups, all in the sandbox's one VPC. ECS
 * answers use wrapped arrays ({@code "SecurityGroups":{"SecurityGroup":[...]}}), like VPC's.
 */
final class EcsActions {

  private static final int PAGE_SIZE_MAX = 100;
  private static final int PAGE_SIZE_DEFAULT = 10;

  private final EciSandbox.Settings settings;

  EcsActions(EciSandbox.Settings settings) {
    this.settings = settings;
  }

  Map<String, Object> handle(String action, RpcRequest r) {
    String region = r.required("RegionId");
    if (!region.equals(settings.region())) {
      throw RpcError.regionNotServed(region, settings.region());
    }
    return switch (action) {
      case "DescribeSecurityGroups" -> describeSecurityGroups(r);
      default -> throw RpcError.actionNotFound(action);
    };
  }

  /**
   * Filters by id (SecurityGroupId, or SecurityGroupIds as a JSON array) and VPC; an id or VPC that
   * does not exist matches nothing, not an error, as in ECS.
   */
  private Map<String, Object> describeSecurityGroups(RpcRequest r) {
    int pageSize = r.integer("PageSize", PAGE_SIZE_DEFAULT, 1, PAGE_SIZE_MAX);
    int pageNumber = r.integer("PageNumber", 1, 1, Integer.MAX_VALUE);
    Set<String> ids = new LinkedHashSet<>();
    r.optional("SecurityGroupId").ifPresent(ids::add);
    r.optionalStringArray("SecurityGroupIds").ifPresent(ids::addAll);
    Optional<String> vpc = r.optional("VpcId");
    List<String> matching = new ArrayList<>();
    if (vpc.isEmpty() || vpc.get().equals(VpcActions.VPC_ID)) {
      // Without configured groups every sg- id exists, so only the ids asked for can be listed.
      List<String> known =
          settings.securityGroups().isEmpty() ? List.copyOf(ids) : settings.securityGroups();
      known.stream()
          .filter(id -> ids.isEmpty() || ids.contains(id))
          .filter(settings::securityGroupExists)
          .forEach(matching::add);
    }
    List<Map<String, Object>> page =
        matching.stream()
            .skip((pageNumber - 1L) * pageSize)
            .limit(pageSize)
            .map(EcsActions::securityGroup)
            .toList();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("RegionId", settings.region());
    answer.put("TotalCount", matching.size());
    answer.put("PageNumber", pageNumber);
    answer.put("PageSize", pageSize);
    answer.put("SecurityGroups", Map.of("SecurityGroup", page));
    return answer;
  }

  private static Map<String, Object> securityGroup(String id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("SecurityGroupId", id);
    m.put("SecurityGroupName", id);
    m.put("SecurityGroupType", "normal");
    m.put("VpcId", VpcActions.VPC_ID);
    m.put("Description", "");
    m.put("CreationTime", "2026-01-01T00:00:00Z");
    return m;
  }
}
