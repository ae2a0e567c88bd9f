package io.eci.vnode.service.clusterstate;

import io.eci.vnode.engine.status.PodPhase;
import io.eci.vnode.service.claims.Deregistrations;
import io.eci.vnode.service.cluster.Cluster;
import io.eci.vnode.service.cluster.ClusterRepository;
import io.eci.vnode.service.clusterstate.StatusView.DeregistrationProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a tenant may read of its clusters' hosted state. Every read is scoped to the calling tenant
 * by the persistence layer, so another tenant's cluster is simply not found.
 */
@ApplicationScoped
@Transactional
public class ClusterStateService {

  private final ClusterRepository clusters;
  private final ClusterStatusRepository statuses;
  private final ClusterPodRepository pods;
  private final Deregistrations deregistrations;
  private final Handoffs handoffs;
  private final EntityManager em;

  ClusterStateService(
      ClusterRepository clusters,
      ClusterStatusRepository statuses,
      ClusterPodRepository pods,
      Deregistrations deregistrations,
      Handoffs handoffs,
      EntityManager em) {
    this.handoffs = handoffs;
    this.clusters = clusters;
    this.statuses = statuses;
    this.pods = pods;
    this.deregistrations = deregistrations;
    this.em = em;
  }

  /** One page of a cluster's pods and where the next page starts, if there is one. */
  public record PodPage(List<PodView> items, PodCursor next) {}

  /**
   * The status of the tenant's cluster, {@code reported: false} before its first report.
   *
   * @return empty if the tenant has no cluster with this id
   */
  public Optional<StatusView> status(UUID clusterId) {
    Optional<Cluster> cluster = clusters.findByIdOptional(clusterId);
    if (cluster.isEmpty()) {
      return Optional.empty();
    }
    // The tenant owns the cluster (the filtered read above): its claim and deregistration may be
    // read by id.
    return Optional.of(
        StatusDerivation.derive(
            clusterId,
            new StatusDerivation.Registration(
                "managed".equals(cluster.get().mode),
                cluster.get().paused,
                handoffs.last(clusterId),
                agent(clusterId)),
            claimOwner(clusterId),
            statuses.findByIdOptional(clusterId),
            deregistrations.progress(clusterId).map(ClusterStateService::progress),
            Instant.now()));
  }

  private Optional<String> claimOwner(UUID clusterId) {
    List<?> owners =
        em.createNativeQuery(
                "SELECT owner FROM cluster_claims WHERE cluster_id = ?1 AND owner IS NOT NULL")
            .setParameter(1, clusterId)
            .getResultList();
    return owners.stream().findFirst().map(String::valueOf);
  }

  private Optional<StatusView.AgentView> agent(UUID clusterId) {
    List<?> rows =
        em.createNativeQuery(
                "SELECT holder, agent_version, lease_owner, node_name, config_version, received_at"
                    + " FROM agent_heartbeats WHERE cluster_id = ?1")
            .setParameter(1, clusterId)
            .getResultList();
    return rows.stream()
        .map(Object[].class::cast)
        .map(
            r ->
                new StatusView.AgentView(
                    (String) r[0],
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    r[4] == null ? null : ((Number) r[4]).longValue(),
                    Handoffs.instant(r[5])))
        .findFirst();
  }

  private static DeregistrationProgress progress(Deregistrations.Progress p) {
    return new DeregistrationProgress(
        p.since(),
        p.attempts(),
        p.progress(),
        p.lastError() == null ? null : LastError.of(p.lastError(), p.lastErrorAt()),
        p.nextAttemptAt());
  }

  /**
   * A page of the tenant's cluster's pods, optionally of one phase, deleted pods included.
   *
   * @return empty if the tenant has no cluster with this id
   */
  public Optional<PodPage> pods(UUID clusterId, PodPhase phase, PodCursor after, int limit) {
    if (clusters.findByIdOptional(clusterId).isEmpty()) {
      return Optional.empty();
    }
    List<ClusterPod> page =
        pods.page(clusterId, phase == null ? null : phase.wire(), after, limit + 1);
    boolean more = page.size() > limit;
    List<ClusterPod> items = more ? page.subList(0, limit) : page;
    return Optional.of(
        new PodPage(
            items.stream().map(PodView::of).toList(),
            more ? PodCursor.after(items.get(items.size() - 1)) : null));
  }
}
