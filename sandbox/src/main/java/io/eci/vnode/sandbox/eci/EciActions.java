package io.eci.vnode.sandbox.eci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.sandbox.eci.Lifecycle.GroupState;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The ECI actions: what each does to the sandbox's instances and what it answers. */
final class EciActions {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
  private static final int MAX_TAGS = 20;
  private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final EciSandbox.Settings settings;
  private final ContainerGroupStore store;
  private final Lifecycle lifecycle;
  private final SandboxClock clock;
  private final Faults faults;
  private final Map<String, VSwitch.Addresses> addresses;
  private final SecureRandom random = new SecureRandom();

  EciActions(
      EciSandbox.Settings settings,
      ContainerGroupStore store,
      Lifecycle lifecycle,
      SandboxClock clock,
      Faults faults,
      Map<String, VSwitch.Addresses> addresses) {
    this.settings = settings;
    this.store = store;
    this.lifecycle = lifecycle;
    this.clock = clock;
    this.faults = faults;
    this.addresses = addresses;
    for (ContainerGroup g : store.all()) {
      if (g.intranetIp != null && addresses.containsKey(g.vSwitchId)) {
        addresses.get(g.vSwitchId).skipPast(g.intranetIp);
      }
    }
  }

  Map<String, Object> handle(String action, RpcRequest r) {
    checkRegion(r);
    return switch (action) {
      case "CreateContainerGroup" -> create(r);
      case "DescribeContainerGroups" -> describe(r);
      case "DeleteContainerGroup" -> delete(r);
      case "UpdateContainerGroup" -> update(r);
      case "RestartContainerGroup" -> restart(r);
      case "DescribeContainerLog" -> log(r);
      case "ExecContainerCommand" -> exec(r);
      case "DescribeContainerGroupMetric" -> metric(r);
      case "DescribeMultiContainerGroupMetric" -> multiMetric(r);
      case "DescribeRegions" -> regions();
      case "DescribeContainerGroupStatus" -> status(r);
      case "DescribeAvailableResource" -> availableResource();
      default -> throw RpcError.actionNotFound(action);
    };
  }

  private void checkRegion(RpcRequest r) {
    String region = r.required("RegionId");
    if (!region.equals(settings.region())) {
      throw RpcError.regionNotServed(region, settings.region());
    }
  }

  private Map<String, Object> create(RpcRequest r) {
    Optional<String> token = r.optional("ClientToken");
    if (token.isPresent()) {
      Optional<String> existing = store.idForClientToken(token.get());
      if (existing.isPresent()) {
        return Map.of("ContainerGroupId", existing.get());
      }
    }
    List<ContainerSpec> containers = ContainerSpec.parseAll(r, "Container");
    if (containers.isEmpty()) {
      throw RpcError.missingParameter("Container.1.Name");
    }
    List<ContainerSpec> init = ContainerSpec.parseAll(r, "InitContainer");
    String restartPolicy = r.optional("RestartPolicy").orElse("Always");
    if (!RESTART_POLICIES.contains(restartPolicy)) {
      throw RpcError.invalidParameter("RestartPolicy", "must be Always, OnFailure or Never");
    }
    Map<String, String> tags = r.tags();
    if (tags.size() > MAX_TAGS) {
      throw RpcError.invalidParameter("Tag", "at most " + MAX_TAGS + " tags");
    }
    String securityGroup = r.required("SecurityGroupId");
    if (!securityGroup.startsWith("sg-")) {
      throw new RpcError(
          400,
          "InvalidSecurityGroupId.NotFound",
          "The specified security group " + securityGroup + " does not exist.");
    }
    VSwitch vSwitch = place(r.required("VSwitchId"), r.optional("ZoneId"));
    boolean scheduleFails = faults.stockOutIn(vSwitch.zoneId()).isPresent();
    String ip = scheduleFails ? null : addresses.get(vSwitch.id()).allocate();
    ContainerGroup group =
        new ContainerGroup(
            store.nextSequence(),
            newId(),
            r.required("ContainerGroupName"),
            settings.region(),
            vSwitch.zoneId(),
            vSwitch.id(),
            securityGroup,
            restartPolicy,
            ip,
            orDefault(r.decimal("Cpu"), sum(containers, true), 2f),
            orDefault(r.decimal("Memory"), sum(containers, false), 4f),
            tags,
            clock.now(),
            token.orElse(null),
            scheduleFails ? "NoStock" : null,
            containers,
            init);
    return Map.of("ContainerGroupId", store.add(group).id);
  }

  /** The first vSwitch of the list whose zone has stock, as ECI's multi-zone placement does. */
  private VSwitch place(String vSwitchIds, Optional<String> zoneId) {
    List<VSwitch> candidates = new ArrayList<>();
    for (String id : vSwitchIds.split(",")) {
      VSwitch v =
          settings.vSwitch(id.trim()).orElseThrow(() -> RpcError.vSwitchNotFound(id.trim()));
      if (zoneId.isEmpty() || zoneId.get().equals(v.zoneId())) {
        candidates.add(v);
      }
    }
    if (candidates.isEmpty()) {
      throw RpcError.invalidParameter(
          "ZoneId", "none of the vSwitches is in zone " + zoneId.orElse(""));
    }
    for (VSwitch v : candidates) {
      if (faults.stockOutIn(v.zoneId()).filter(mode -> mode == Faults.StockOut.REJECT).isEmpty()) {
        return v;
      }
    }
    throw RpcError.noStock();
  }

  private Map<String, Object> describe(RpcRequest r) {
    int limit = r.integer("Limit", settings.describeLimitMax(), 1, settings.describeLimitMax());
    Instant now = clock.now();
    Predicate<ContainerGroup> filter = filter(r, now);
    Map<String, String> tags = r.tags();
    List<ContainerGroup> page;
    Optional<List<String>> ids =
        r.optional("ContainerGroupIds").map(v -> jsonArray("ContainerGroupIds", v));
    long after = r.optional("NextToken").map(EciActions::parseToken).orElse(0L);
    if (ids.isPresent()) {
      page =
          ids.get().stream()
              .map(store::find)
              .flatMap(Optional::stream)
              .filter(g -> g.sequence > after)
              .filter(filter)
              .sorted((a, b) -> Long.compare(a.sequence, b.sequence))
              .limit(limit + 1L)
              .toList();
    } else {
      page = store.page(tags, after, limit + 1, filter);
    }
    boolean more = page.size() > limit;
    List<ContainerGroup> items = more ? page.subList(0, limit) : page;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("NextToken", more ? Long.toString(items.get(items.size() - 1).sequence) : "");
    answer.put("TotalCount", ids.isPresent() ? page.size() : count(tags, filter));
    answer.put(
        "ContainerGroups",
        items.stream().map(g -> GroupJson.group(g, lifecycle.at(g, now))).toList());
    return answer;
  }

  private int count(Map<String, String> tags, Predicate<ContainerGroup> filter) {
    return store.page(tags, 0, Integer.MAX_VALUE, filter).size();
  }

  private Predicate<ContainerGroup> filter(RpcRequest r, Instant now) {
    Optional<String> name = r.optional("ContainerGroupName");
    Optional<String> status = r.optional("Status");
    Optional<String> vSwitch = r.optional("VSwitchId");
    Optional<String> zone = r.optional("ZoneId");
    return g -> {
      if (name.isPresent() && !name.get().equals(g.name)) {
        return false;
      }
      if (vSwitch.isPresent() && !vSwitch.get().equals(g.vSwitchId)) {
        return false;
      }
      if (zone.isPresent() && !zone.get().equals(g.zoneId)) {
        return false;
      }
      GroupState s = lifecycle.at(g, now);
      if (s.gone()) {
        store.remove(g);
        return false;
      }
      return status.isEmpty() || status.get().equals(s.status());
    };
  }

  private Map<String, Object> delete(RpcRequest r) {
    ContainerGroup g = live(r.required("ContainerGroupId"));
    g.delete(clock.now());
    if (lifecycle.at(g, clock.now()).gone()) {
      store.remove(g);
    }
    return Map.of();
  }

  private Map<String, Object> update(RpcRequest r) {
    ContainerGroup g = live(r.required("ContainerGroupId"));
    if (!r.tags().isEmpty()) {
      throw RpcError.invalidParameter("Tag", "the sandbox cannot change an instance's tags");
    }
    requireStatus(g, Set.of("Running", "Pending", "Succeeded", "Failed"));
    g.update(
        ContainerSpec.parseAll(r, "Container"),
        ContainerSpec.parseAll(r, "InitContainer"),
        clock.now());
    return Map.of();
  }

  private Map<String, Object> restart(RpcRequest r) {
    ContainerGroup g = live(r.required("ContainerGroupId"));
    requireStatus(g, Set.of("Running"));
    g.restart(clock.now());
    return Map.of();
  }

  private Map<String, Object> log(RpcRequest r) {
    ContainerGroup g = live(r.required("ContainerGroupId"));
    String name = r.required("ContainerName");
    var state = containerState(g, name);
    int tail = r.integer("Tail", 500, 1, 10_000);
    List<String> lines = new ArrayList<>();
    if (state.startTime() != null || state.previous() != null) {
      lines.add(
          "[sandbox] "
              + name
              + " ("
              + state.spec().image()
              + ") started, restarts: "
              + state.restartCount());
    }
    if (state.exitCode() != null) {
      lines.add("[sandbox] " + name + " exited with code " + state.exitCode());
    }
    List<String> tailed = lines.subList(Math.max(0, lines.size() - tail), lines.size());
    return Map.of(
        "ContainerName", name, "Content", tailed.isEmpty() ? "" : String.join("\n", tailed) + "\n");
  }

  private Map<String, Object> exec(RpcRequest r) {
    ContainerGroup g = live(r.required("ContainerGroupId"));
    String name = r.required("ContainerName");
    List<String> command = jsonArray("Command", r.required("Command"));
    if (command.isEmpty()) {
      throw RpcError.invalidParameter("Command", "must name a program");
    }
    if (!containerState(g, name).state().equals("Running")) {
      throw RpcError.incorrectStatus(g.id, "not running container " + name);
    }
    String output =
        command.get(0).equals("echo")
            ? String.join(" ", command.subList(1, command.size())) + "\n"
            : "";
    return Map.of(
        "WebSocketUri", "ws://127.0.0.1/sandbox-exec/" + g.id + "/" + name,
        "HttpUrl", "http://127.0.0.1/sandbox-exec/" + g.id + "/" + name,
        "SyncResponse", output);
  }

  private Map<String, Object> metric(RpcRequest r) {
    ContainerGroup g = live(r.required("ContainerGroupId"));
    return Map.of("ContainerGroupId", g.id, "Records", List.of(record(g, clock.now())));
  }

  private Map<String, Object> multiMetric(RpcRequest r) {
    List<Map<String, Object>> monitors = new ArrayList<>();
    for (String id : jsonArray("ContainerGroupIds", r.required("ContainerGroupIds"))) {
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

  /** One metric sample: a steady, plausible load derived from the instance's size. */
  private Map<String, Object> record(ContainerGroup g, Instant now) {
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

  private Map<String, Object> regions() {
    List<String> zones = settings.vSwitches().stream().map(VSwitch::zoneId).distinct().toList();
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

  private Map<String, Object> status(RpcRequest r) {
    int limit = r.integer("Limit", settings.statusLimitMax(), 1, settings.statusLimitMax());
    Instant now = clock.now();
    Predicate<ContainerGroup> filter = filter(r, now);
    long after = r.optional("NextToken").map(EciActions::parseToken).orElse(0L);
    Optional<List<String>> ids =
        r.optional("ContainerGroupIds").map(v -> jsonArray("ContainerGroupIds", v));
    Predicate<ContainerGroup> byId = g -> ids.isEmpty() || ids.get().contains(g.id);
    List<ContainerGroup> page = store.page(r.tags(), after, limit + 1, byId.and(filter));
    boolean more = page.size() > limit;
    List<ContainerGroup> items = more ? page.subList(0, limit) : page;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("NextToken", more ? Long.toString(items.get(items.size() - 1).sequence) : "");
    answer.put("TotalCount", items.size());
    answer.put(
        "Data", items.stream().map(g -> GroupJson.podStatus(g, lifecycle.at(g, now))).toList());
    return answer;
  }

  /** Wrapped arrays: this action's response class reads ECS-style {"X":{"Y":[...]}} lists. */
  private Map<String, Object> availableResource() {
    List<Map<String, Object>> zones = new ArrayList<>();
    for (String zone : settings.vSwitches().stream().map(VSwitch::zoneId).distinct().toList()) {
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

  private ContainerGroup live(String id) {
    ContainerGroup g = store.find(id).orElseThrow(() -> RpcError.groupNotFound(id));
    if (lifecycle.at(g, clock.now()).gone()) {
      store.remove(g);
      throw RpcError.groupNotFound(id);
    }
    return g;
  }

  private void requireStatus(ContainerGroup g, Set<String> allowed) {
    String status = lifecycle.at(g, clock.now()).status();
    if (!allowed.contains(status)) {
      throw RpcError.incorrectStatus(g.id, status);
    }
  }

  private Lifecycle.ContainerState containerState(ContainerGroup g, String name) {
    return lifecycle.at(g, clock.now()).containers().stream()
        .filter(c -> c.spec().name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                RpcError.invalidParameter("ContainerName", "no container " + name + " in " + g.id));
  }

  private static List<String> jsonArray(String name, String value) {
    try {
      List<String> list = JSON.readValue(value, new TypeReference<List<String>>() {});
      if (list == null || list.stream().anyMatch(Objects::isNull)) {
        throw RpcError.invalidParameter(name, "must be a JSON array of strings");
      }
      return list;
    } catch (JsonProcessingException e) {
      throw RpcError.invalidParameter(
          name, "must be a JSON array of strings, e.g. [\"eci-1\",\"eci-2\"]");
    }
  }

  private static long parseToken(String token) {
    try {
      return Long.parseLong(token);
    } catch (NumberFormatException e) {
      throw RpcError.invalidParameter("NextToken", "is not a token this endpoint handed out");
    }
  }

  private String newId() {
    char[] id = new char[20];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
    }
    return "eci-" + new String(id);
  }

  private static float sum(List<ContainerSpec> containers, boolean cpu) {
    float total = 0;
    for (ContainerSpec c : containers) {
      Float v = cpu ? c.cpu() : c.memory();
      total += v == null ? 0 : v;
    }
    return total;
  }

  private static float orDefault(Float explicit, float summed, float fallback) {
    if (explicit != null) {
      return explicit;
    }
    return summed > 0 ? summed : fallback;
  }
}
