package io.eci.vnode.service.cluster;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Clusters of the current tenant. Hibernate's tenant filter scopes every query here, the inherited
 * {@code findById} included: another tenant's cluster is never loaded, whatever method is used.
 */
@ApplicationScoped
public class ClusterRepository implements PanacheRepositoryBase<Cluster, UUID> {

  /** The cluster with this name, if the current tenant has one. */
  public Optional<Cluster> findByName(String name) {
    return find("name", name).firstResultOptional();
  }

  /**
   * One page of clusters ordered by name.
   *
   * @param nameContains a case-insensitive substring of the name, or null
   * @param mode a mode's wire name, or null
   * @param afterName the last name of the previous page, or null for the first page
   */
  public List<Cluster> page(String nameContains, String mode, String afterName, int limit) {
    List<String> where = new ArrayList<>();
    Map<String, Object> params = new HashMap<>();
    if (nameContains != null) {
      where.add("lower(name) like :pattern escape '\\'");
      params.put("pattern", "%" + escapeLike(nameContains.toLowerCase()) + "%");
    }
    if (mode != null) {
      where.add("mode = :mode");
      params.put("mode", mode);
    }
    if (afterName != null) {
      where.add("name > :after");
      params.put("after", afterName);
    }
    String query = (where.isEmpty() ? "" : String.join(" and ", where)) + " order by name";
    return find(query, params).page(0, limit).list();
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
