package io.eci.vnode.service.cluster;

import io.eci.vnode.service.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The end of a deregistration, which runs outside any tenant's request (in the background, on any
 * replica): the registration's row is deleted by plain SQL naming it (the database cascades to its
 * configuration, claim, status, pod ledger and deregistration) with its audit entry, in one
 * transaction.
 */
@ApplicationScoped
@Transactional
// A background step has no request: Hibernate's tenant resolver needs one to say "no tenant".
@ActivateRequestContext
public class RegistrationRemoval {

  private final EntityManager em;
  private final AuditLog audit;

  RegistrationRemoval(EntityManager em, AuditLog audit) {
    this.em = em;
    this.audit = audit;
  }

  /**
   * Deletes the tenant's registration and records {@code cluster.deleted} for {@code actor}.
   *
   * @param details what the deregistration did, added to the audit entry (no secret values)
   * @return whether it was still registered
   */
  public boolean remove(UUID clusterId, String tenantId, String actor, Map<String, ?> details) {
    @SuppressWarnings("unchecked")
    List<String> names =
        em.createNativeQuery(
                "SELECT name FROM clusters WHERE id = ?1 AND tenant_id = ?2 FOR UPDATE",
                String.class)
            .setParameter(1, clusterId)
            .setParameter(2, tenantId)
            .getResultList();
    if (names.isEmpty()) {
      return false;
    }
    em.createNativeQuery("DELETE FROM clusters WHERE id = ?1")
        .setParameter(1, clusterId)
        .executeUpdate();
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", names.get(0));
    entry.putAll(details);
    audit.record(tenantId, actor, "cluster.deleted", "cluster", clusterId.toString(), entry);
    return true;
  }

  /** Records that {@code actor} asked for the cluster's deregistration. */
  public void requested(UUID clusterId, String tenantId, String actor, boolean keepPods) {
    audit.record(
        tenantId,
        actor,
        "cluster.deregistration-requested",
        "cluster",
        clusterId.toString(),
        Map.of("keepPods", keepPods));
  }

  /** Records that a deregistration asked with keepPods was called off because pods still run. */
  public void calledOff(UUID clusterId, String tenantId, String actor, List<String> pods) {
    audit.record(
        tenantId,
        actor,
        "cluster.deregistration-called-off",
        "cluster",
        clusterId.toString(),
        Map.of("reason", "keepPods: pods still run", "pods", pods));
  }
}
