package io.eci.vnode.service.agent;

import io.eci.vnode.service.access.AgentCredentials.AgentToken;
import io.eci.vnode.service.clusterstate.Handoffs;
import io.eci.vnode.service.clusterstate.PodCounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Takes agents' heartbeats. Each is kept as the cluster's last agent heartbeat; while the cluster
 * is unmanaged it is also the cluster's status, in the same row a hosted engine's report takes in
 * managed mode, so the status reads the same in both modes. An agent that reports holding the
 * ownership Lease ends a switch to unmanaged.
 */
@ApplicationScoped
class AgentHeartbeats {

  private static final String KEEP =
      """
      INSERT INTO agent_heartbeats (cluster_id, tenant_id, token_id, agent_version, holder,
              lease_owner, node_name, node_ready, config_version, lease_acquired_at, last_error,
              last_error_at, received_at)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, now())
      ON CONFLICT (cluster_id) DO UPDATE SET
              token_id = EXCLUDED.token_id, agent_version = EXCLUDED.agent_version,
              holder = EXCLUDED.holder, lease_owner = EXCLUDED.lease_owner,
              node_name = EXCLUDED.node_name, node_ready = EXCLUDED.node_ready,
              config_version = EXCLUDED.config_version,
              lease_acquired_at = EXCLUDED.lease_acquired_at, last_error = EXCLUDED.last_error,
              last_error_at = EXCLUDED.last_error_at, received_at = EXCLUDED.received_at
      """;

  // Only while the cluster is unmanaged (and not being deregistered): in managed mode the hosted
  // engine's report is the status. The share lock makes a concurrent switch of mode wait for
  // this write, so a switch back to managed is never followed by an agent's late report.
  private static final String AS_STATUS =
      """
      WITH unmanaged AS (
          SELECT id, tenant_id FROM clusters
           WHERE id = ?1 AND tenant_id = ?2 AND mode = 'unmanaged' AND deregistering_since IS NULL
             FOR SHARE
      )
      INSERT INTO cluster_statuses (cluster_id, tenant_id, owner, node_ready, last_heartbeat_at,
              pods_pending, pods_running, pods_succeeded, pods_failed, last_api_error,
              last_api_error_at, last_eci_error, last_eci_error_at, last_eci_error_code,
              last_eci_error_first_at, last_eci_error_count, eci_circuit_open_since, updated_at,
              current_until)
      SELECT id, tenant_id, CAST(?3 AS text), CAST(?4 AS boolean), CAST(?5 AS timestamptz),
             CAST(?6 AS int), CAST(?7 AS int), CAST(?8 AS int), CAST(?9 AS int), NULL, NULL,
             CAST(?10 AS text), CAST(?11 AS timestamptz), NULL, NULL, NULL, NULL, now(),
             now() + CAST(?12 AS interval)
        FROM unmanaged
      ON CONFLICT (cluster_id) DO UPDATE SET
              owner = EXCLUDED.owner, node_ready = EXCLUDED.node_ready,
              last_heartbeat_at = EXCLUDED.last_heartbeat_at,
              pods_pending = EXCLUDED.pods_pending, pods_running = EXCLUDED.pods_running,
              pods_succeeded = EXCLUDED.pods_succeeded, pods_failed = EXCLUDED.pods_failed,
              last_api_error = NULL, last_api_error_at = NULL,
              last_eci_error = EXCLUDED.last_eci_error, last_eci_error_at = EXCLUDED.last_eci_error_at,
              last_eci_error_code = NULL, last_eci_error_first_at = NULL,
              last_eci_error_count = NULL, eci_circuit_open_since = NULL,
              updated_at = EXCLUDED.updated_at, current_until = EXCLUDED.current_until
      """;

  private static final String ALIVE =
      "SELECT 1 FROM agent_heartbeats WHERE cluster_id = ?1 AND tenant_id = ?2"
          + " AND received_at > now() - CAST(?3 AS interval)";

  private final EntityManager em;
  private final Handoffs handoffs;
  private final AgentApiConfig config;

  AgentHeartbeats(EntityManager em, Handoffs handoffs, AgentApiConfig config) {
    this.em = em;
    this.handoffs = handoffs;
    this.config = config;
  }

  /** Keeps the heartbeat {@code report} of {@code agent}'s cluster (checked already). */
  @Transactional
  void record(AgentToken agent, AgentReport report) {
    Instant errorAt =
        report.lastError() == null
            ? null
            : report.lastError().at() == null ? Instant.now() : report.lastError().at();
    String error = report.lastError() == null ? null : report.lastError().message();
    em.createNativeQuery(KEEP)
        .setParameter(1, agent.clusterId())
        .setParameter(2, agent.tenantId())
        .setParameter(3, agent.tokenId())
        .setParameter(4, report.agentVersion())
        .setParameter(5, report.holder())
        .setParameter(6, report.owner())
        .setParameter(7, report.nodeName())
        .setParameter(8, report.nodeReady())
        .setParameter(9, report.configVersion())
        .setParameter(10, timestamp(report.leaseAcquiredAt()))
        .setParameter(11, error)
        .setParameter(12, timestamp(errorAt))
        .executeUpdate();
    boolean holds = report.holdsTheLease();
    PodCounts pods =
        PodCounts.fromPhases(report.podsByPhase() == null ? Map.of() : report.podsByPhase());
    em.createNativeQuery(AS_STATUS)
        .setParameter(1, agent.clusterId())
        .setParameter(2, agent.tenantId())
        .setParameter(3, report.holder())
        .setParameter(4, holds && report.nodeReady())
        .setParameter(5, holds ? Timestamp.from(Instant.now()) : null)
        .setParameter(6, pods.pending())
        .setParameter(7, pods.running())
        .setParameter(8, pods.succeeded())
        .setParameter(9, pods.failed())
        .setParameter(10, error)
        .setParameter(11, timestamp(errorAt))
        .setParameter(12, config.heartbeatPeriod().multipliedBy(2).toMillis() + " milliseconds")
        .executeUpdate();
    if (holds) {
      handoffs.agentTookOver(agent.clusterId(), report.holder());
    }
  }

  /** Whether an agent of the tenant's cluster sent a heartbeat lately ({@code aliveWithin}). */
  @Transactional
  boolean alive(String tenantId, UUID clusterId) {
    return !em.createNativeQuery(ALIVE)
        .setParameter(1, clusterId)
        .setParameter(2, tenantId)
        .setParameter(3, config.aliveWithin().toMillis() + " milliseconds")
        .getResultList()
        .isEmpty();
  }

  private static Timestamp timestamp(Instant at) {
    return at == null ? null : Timestamp.from(at);
  }
}
