package io.eci.vnode.service.agent;

import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.api.Problem.InvalidParam;
import io.eci.vnode.service.cluster.Mode;
import io.eci.vnode.service.cluster.ModeSwitches;
import io.eci.vnode.service.clusterstate.Handoffs;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * A switch to unmanaged needs a live agent, or new pods would wait for one nobody installed; every
 * switch begins a handoff that ends when the side now in charge holds the ownership Lease.
 */
@ApplicationScoped
class AgentModeSwitches implements ModeSwitches {

  private final AgentHeartbeats heartbeats;
  private final Handoffs handoffs;

  AgentModeSwitches(AgentHeartbeats heartbeats, Handoffs handoffs) {
    this.heartbeats = heartbeats;
    this.handoffs = handoffs;
  }

  @Override
  public void switching(
      String tenantId, UUID clusterId, Mode from, Mode to, boolean force, String actor) {
    if (to == Mode.UNMANAGED && !force && !heartbeats.alive(tenantId, clusterId)) {
      throw ApiProblem.of(
          409,
          "/problems/no-agent",
          "No agent runs in the cluster",
          "No agent of cluster "
              + clusterId
              + " sent a heartbeat in the last minute, so nothing would run its virtual node."
              + " Issue a token (POST /api/v1/clusters/"
              + clusterId
              + "/agent-tokens), install the agent with it (helm install eci-virtual-node-agent"
              + " deploy/helm/eci-virtual-node-agent -n kube-system --set"
              + " serviceUrl=<this service's URL>,clusterId="
              + clusterId
              + ",token=<the token>; see docs/unmanaged-mode.md), then switch"
              + " again; or switch anyway with ?force=true (new pods wait until an agent runs)",
          List.of(new InvalidParam("mode", "needs a running agent")));
    }
    handoffs.begin(tenantId, clusterId, to.wire(), actor);
  }
}
