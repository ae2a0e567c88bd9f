package io.eci.vnode.sandbox.controlplane;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a control plane is started, as {@link ControlPlane.Builder} collected it.
 *
 * @param binaries the binaries to run
 * @param workDir where its files go, or null for a temporary directory deleted on close
 * @param scheduler whether kube-scheduler runs
 * @param controllerManager whether kube-controller-manager runs
 * @param serviceAccountTokens whether pods get their ServiceAccount's token
 * @param nodeMonitorPeriod how often the node-lifecycle controller looks at nodes
 * @param nodeMonitorGracePeriod how long a node may go without a heartbeat
 * @param evictionToleration how long pods tolerate a not-ready or unreachable node
 * @param startTimeout how long the whole start may take
 * @param auditLog whether the API server writes an audit log
 */
record ControlPlaneSettings(
    ControlPlaneBinaries binaries,
    Path workDir,
    boolean scheduler,
    boolean controllerManager,
    boolean serviceAccountTokens,
    Duration nodeMonitorPeriod,
    Duration nodeMonitorGracePeriod,
    Duration evictionToleration,
    Duration startTimeout,
    boolean auditLog) {

  /**
   * Whether the API server's ServiceAccount admission runs: only when a controller fills tokens.
   */
  boolean mountsTokens() {
    return controllerManager && serviceAccountTokens;
  }
}
