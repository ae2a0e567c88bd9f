package io.eci.vnode.service.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.service.api.RequestIds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit entries in the transaction of the change they describe, so a change and its entry
 * commit or roll back together. The operator acts across tenants, so entries are written by plain
 * SQL naming the tenant rather than through the tenant-filtered session. Callers pass no secret
 * values in details.
 */
@ApplicationScoped
public class AuditLog {

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  private final EntityManager em;
  private final ObjectMapper json;

  AuditLog(EntityManager em, ObjectMapper json) {
    this.em = em;
    this.json = json;
  }

  /** Records that {@code actor} did {@code action} to a target of {@code tenantId}. */
  @Transactional(TxType.MANDATORY)
  public void record(
      String tenantId,
      String actor,
      String action,
      String targetType,
      String targetId,
      Map<String, ?> details) {
    em.createNativeQuery(
            "INSERT INTO audit_log (tenant_id, actor, action, target_type, target_id, details,"
                + " request_id, occurred_at) VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS jsonb), ?7, now())")
        .setParameter(1, tenantId)
        .setParameter(2, actor)
        .setParameter(3, action)
        .setParameter(4, targetType)
        .setParameter(5, targetId)
        .setParameter(6, toJson(details))
        .setParameter(7, RequestIds.current())
        .executeUpdate();
    LOG.info("audit: {} {} {}/{} by {}", tenantId, action, targetType, targetId, actor);
  }

  private String toJson(Map<String, ?> details) {
    try {
      return json.writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit details must be plain JSON values", e);
    }
  }
}
