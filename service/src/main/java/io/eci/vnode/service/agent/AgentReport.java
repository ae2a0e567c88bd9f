package io.eci.vnode.service.agent;

import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An agent's heartbeat: what it says of itself and of the virtual node it runs (or waits to run).
 *
 * @param holder its identity in the cluster's ownership Lease ({@code
 *     agent-<replica>/<cluster>/<n>})
 * @param owner who holds the ownership Lease as the agent sees it; the agent's own holder once it
 *     runs the node
 * @param nodeReady whether the node takes pods, as the agent's engine says
 * @param podsByPhase the node's pods by phase ({@code Pending}, {@code Running}, {@code Succeeded},
 *     {@code Failed}, {@code Unknown})
 * @param lastError the agent's last failure, if any
 * @param leaseAcquiredAt when it took the ownership Lease, while it holds it
 * @param configVersion the registration version it runs with
 */
@Schema(requiredProperties = {"holder", "nodeReady"})
public record AgentReport(
    String agentVersion,
    String holder,
    String owner,
    String nodeName,
    Boolean nodeReady,
    Map<String, Long> podsByPhase,
    LastErrorReport lastError,
    Instant leaseAcquiredAt,
    Long configVersion) {

  /** A failure as the agent saw it. */
  public record LastErrorReport(String message, Instant at) {}

  /** Whether the agent says it holds the cluster's ownership Lease. */
  boolean holdsTheLease() {
    return holder != null && holder.equals(owner);
  }
}
