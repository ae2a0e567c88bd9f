package io.eci.vnode.service.cluster;

import java.util.List;
import java.util.Map;

/**
 * How a registration's settings were accepted, as stored with it.
 *
 * @param validation {@link Cluster#VALIDATION_PASSED} or {@link Cluster#VALIDATION_SKIPPED}
 * @param clusterIdentity the uid of the cluster's kube-system namespace, or null when not read
 * @param zones the zone of each vSwitch by id; empty when not read
 */
record CheckOutcome(String validation, String clusterIdentity, Map<String, String> zones) {

  static CheckOutcome skipped() {
    return new CheckOutcome(Cluster.VALIDATION_SKIPPED, null, Map.of());
  }

  /** The zones of these vSwitches in their order, or null unless every one is known. */
  String zonesOf(List<String> vSwitchIds) {
    if (!vSwitchIds.stream().allMatch(zones::containsKey)) {
      return null;
    }
    return String.join(",", vSwitchIds.stream().map(zones::get).toList());
  }

  /** Records what the checks learnt: how they went, the cluster's identity, the zones. */
  void applyTo(Cluster cluster, ClusterConfig config) {
    cluster.validation = validation;
    cluster.kubeSystemUid = clusterIdentity;
    config.vSwitchZones = zonesOf(config.vSwitches());
  }

  /**
   * After an unchecked change: what it changed is no longer known to be true, so the identity is
   * forgotten when the API server changes and the zones when the vSwitches do.
   */
  static void forgetChanged(List<String> fields, Cluster cluster, ClusterConfig config) {
    cluster.validation = Cluster.VALIDATION_SKIPPED;
    if (fields.stream().anyMatch(f -> f.startsWith("apiServer."))) {
      cluster.kubeSystemUid = null;
    }
    if (fields.contains("eci.vSwitchIds")) {
      config.vSwitchZones = null;
    }
  }
}
