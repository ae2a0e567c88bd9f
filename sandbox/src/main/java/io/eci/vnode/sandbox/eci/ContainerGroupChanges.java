package io.eci.vnode.sandbox.eci;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The actions that change instances: CreateContainerGroup (placed in the first vSwitch whose zone
 * has stock, idempotent per ClientToken), UpdateContainerGroup, RestartContainerGroup and
 * DeleteContainerGroup.
 */
final class ContainerGroupChanges {

  private static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");
  private static final int MAX_TAGS = 20;
  private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final EciSandbox.Settings settings;
  private final ContainerGroupStore store;
  private final LiveGroups live;
  private final SandboxClock clock;
  private final Faults faults;
  private final Map<String, VSwitch.Addresses> addresses;
  private final SecureRandom random = new SecureRandom();

  ContainerGroupChanges(
      EciSandbox.Settings settings,
      ContainerGroupStore store,
      LiveGroups live,
      SandboxClock clock,
      Faults faults,
      Map<String, VSwitch.Addresses> addresses) {
    this.settings = settings;
    this.store = store;
    this.live = live;
    this.clock = clock;
    this.faults = faults;
    this.addresses = addresses;
  }

  Map<String, Object> create(RpcRequest r) {
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
    if (!settings.securityGroupExists(securityGroup)) {
      throw RpcError.securityGroupNotFound(securityGroup);
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

  Map<String, Object> delete(RpcRequest r) {
    ContainerGroup g = live.get(r.required("ContainerGroupId"));
    g.delete(clock.now());
    if (live.state(g).gone()) {
      store.remove(g);
    }
    return Map.of();
  }

  Map<String, Object> update(RpcRequest r) {
    ContainerGroup g = live.get(r.required("ContainerGroupId"));
    if (!r.tags().isEmpty()) {
      throw RpcError.invalidParameter("Tag", "the sandbox cannot change an instance's tags");
    }
    live.requireStatus(g, Set.of("Running", "Pending", "Succeeded", "Failed"));
    g.update(
        ContainerSpec.parseAll(r, "Container"),
        ContainerSpec.parseAll(r, "InitContainer"),
        clock.now());
    return Map.of();
  }

  Map<String, Object> restart(RpcRequest r) {
    ContainerGroup g = live.get(r.required("ContainerGroupId"));
    live.requireStatus(g, Set.of("Running"));
    g.restart(clock.now());
    return Map.of();
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
