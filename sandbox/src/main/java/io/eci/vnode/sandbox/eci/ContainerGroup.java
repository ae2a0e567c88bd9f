package io.eci.vnode.sandbox.eci;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An ECI instance as the sandbox keeps it: what was asked for and the few moments that decide its
 * state (created, restarted, updated, deleted). Its status is never stored; {@link Lifecycle}
 * derives it from these moments and the sandbox clock, so fast-forwarding the clock fast-forwards
 * every instance.
 */
final class ContainerGroup {

  final long sequence;
  final String id;
  final String name;
  final String regionId;
  final String zoneId;
  final String vSwitchId;
  final String securityGroupId;
  final String restartPolicy;
  final String intranetIp;
  final float cpu;
  final float memory;
  final Map<String, String> tags;
  final Instant createdAt;
  final String clientToken;

  /** Why scheduling failed (e.g. NoStock), or null when the instance was placed. */
  final String scheduleFailure;

  private volatile List<ContainerSpec> containers;
  private volatile List<ContainerSpec> initContainers;
  private volatile Instant lastStartRequest;
  private volatile int restartRequests;
  private volatile Instant lastUpdate;
  private volatile Instant deletedAt;

  ContainerGroup(
      long sequence,
      String id,
      String name,
      String regionId,
      String zoneId,
      String vSwitchId,
      String securityGroupId,
      String restartPolicy,
      String intranetIp,
      float cpu,
      float memory,
      Map<String, String> tags,
      Instant createdAt,
      String clientToken,
      String scheduleFailure,
      List<ContainerSpec> containers,
      List<ContainerSpec> initContainers) {
    this.sequence = sequence;
    this.id = id;
    this.name = name;
    this.regionId = regionId;
    this.zoneId = zoneId;
    this.vSwitchId = vSwitchId;
    this.securityGroupId = securityGroupId;
    this.restartPolicy = restartPolicy;
    this.intranetIp = intranetIp;
    this.cpu = cpu;
    this.memory = memory;
    this.tags = Map.copyOf(tags);
    this.createdAt = createdAt;
    this.clientToken = clientToken;
    this.scheduleFailure = scheduleFailure;
    this.containers = List.copyOf(containers);
    this.initContainers = List.copyOf(initContainers);
  }

  List<ContainerSpec> containers() {
    return containers;
  }

  List<ContainerSpec> initContainers() {
    return initContainers;
  }

  /** When the containers were last (re)started on request, or null if never. */
  Instant lastStartRequest() {
    return lastStartRequest;
  }

  int restartRequests() {
    return restartRequests;
  }

  Instant lastUpdate() {
    return lastUpdate;
  }

  Instant deletedAt() {
    return deletedAt;
  }

  /** Sets the moments of an instance read back from a snapshot. */
  synchronized void restore(Instant lastStart, int restarts, Instant updated, Instant deleted) {
    lastStartRequest = lastStart;
    restartRequests = restarts;
    lastUpdate = updated;
    deletedAt = deleted;
  }

  synchronized void restart(Instant at) {
    lastStartRequest = at;
    restartRequests++;
  }

  synchronized void update(
      List<ContainerSpec> newContainers, List<ContainerSpec> newInit, Instant at) {
    if (!newContainers.isEmpty()) {
      containers = List.copyOf(newContainers);
    }
    if (!newInit.isEmpty()) {
      initContainers = List.copyOf(newInit);
    }
    lastUpdate = at;
    lastStartRequest = at;
  }

  /** Marks the instance deleted; returns false if it already was. */
  synchronized boolean delete(Instant at) {
    if (deletedAt != null) {
      return false;
    }
    deletedAt = at;
    return true;
  }
}
