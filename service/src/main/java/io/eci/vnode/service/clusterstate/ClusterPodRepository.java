package io.eci.vnode.service.clusterstate;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The pod ledger of the current tenant's clusters; Hibernate's tenant filter scopes every query.
 */
@ApplicationScoped
public class ClusterPodRepository implements PanacheRepositoryBase<ClusterPod, ClusterPod.Key> {

  /**
   * One page of a cluster's ledger in (namespace, name, pod UID) order.
   *
   * @param phase a phase's name, or null for every phase
   * @param after the last pod of the previous page, or null for the first page
   */
  public List<ClusterPod> page(UUID clusterId, String phase, PodCursor after, int limit) {
    List<String> where = new ArrayList<>(List.of("clusterId = :cluster"));
    Map<String, Object> params = new HashMap<>(Map.of("cluster", clusterId));
    if (phase != null) {
      where.add("phase = :phase");
      params.put("phase", phase);
    }
    if (after != null) {
      where.add(
          "(namespace > :ns or (namespace = :ns and (name > :name"
              + " or (name = :name and podUid > :uid))))");
      params.put("ns", after.namespace());
      params.put("name", after.name());
      params.put("uid", after.podUid());
    }
    String query = String.join(" and ", where) + " order by namespace, name, podUid";
    return find(query, params).page(0, limit).list();
  }
}
