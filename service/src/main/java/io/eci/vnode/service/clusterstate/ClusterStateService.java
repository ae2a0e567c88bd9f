package io.eci.vnode.service.clusterstate;

import io.eci.vnode.engine.status.PodPhase;
import io.eci.vnode.service.cluster.ClusterRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
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

  ClusterStateService(
      ClusterRepository clusters, ClusterStatusRepository statuses, ClusterPodRepository pods) {
    this.clusters = clusters;
    this.statuses = statuses;
    this.pods = pods;
  }

  /** One page of a cluster's pods and where the next page starts, if there is one. */
  public record PodPage(List<PodView> items, PodCursor next) {}

  /**
   * The status of the tenant's cluster, {@code reported: false} before its first report.
   *
   * @return empty if the tenant has no cluster with this id
   */
  public Optional<StatusView> status(UUID clusterId) {
    if (clusters.findByIdOptional(clusterId).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        statuses
            .findByIdOptional(clusterId)
            .map(StatusView::of)
            .orElseGet(() -> StatusView.notReported(clusterId)));
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
