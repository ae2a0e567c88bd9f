package io.eci.vnode.service.cluster;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** ECI configs of the current tenant's clusters; tenant-filtered like {@link ClusterRepository}. */
@ApplicationScoped
public class ClusterConfigRepository implements PanacheRepositoryBase<ClusterConfig, UUID> {

  /** The configs of several clusters in one query, by cluster id. */
  public Map<UUID, ClusterConfig> byCluster(Collection<UUID> clusterIds) {
    if (clusterIds.isEmpty()) {
      return Map.of();
    }
    List<ClusterConfig> configs = list("clusterId in ?1", clusterIds);
    return configs.stream().collect(Collectors.toMap(c -> c.clusterId, Function.identity()));
  }
}
