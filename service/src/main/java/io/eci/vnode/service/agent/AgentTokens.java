package io.eci.vnode.service.agent;

import io.eci.vnode.service.access.AgentCredentials;
import io.eci.vnode.service.access.TokenMaterial;
import io.eci.vnode.service.audit.AuditLog;
import io.eci.vnode.service.clusterstate.Handoffs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues, lists, checks and revokes agent tokens: {@code vna_<id>_<secret>}, each of exactly one
 * cluster, several live at once so an agent's token can be rotated without a gap. Native SQL, every
 * statement naming the tenant: an agent request has no tenant session to filter by until it is
 * authenticated.
 */
@ApplicationScoped
public class AgentTokens implements AgentCredentials {

  private static final TokenMaterial MATERIAL = new TokenMaterial("vna_");

  /** How often a token's last use is written: often enough to tell a live agent from a gone one. */
  private static final String TOUCH_EVERY = "1 minute";

  private final EntityManager em;
  private final AuditLog audit;

  AgentTokens(EntityManager em, AuditLog audit) {
    this.em = em;
    this.audit = audit;
  }

  /** A token as issued: {@code token} is shown this once and never again. */
  public record IssuedAgentToken(
      String id, UUID clusterId, String token, String description, Instant createdAt) {}

  /** A token as listed: no secret. */
  public record AgentTokenView(
      String id, String description, Instant createdAt, Instant revokedAt, Instant lastUsedAt) {}

  /** Issues a token for the agent of the tenant's cluster (which the caller checked exists). */
  @Transactional
  public IssuedAgentToken issue(String tenantId, UUID clusterId, String description, String actor) {
    String id = MATERIAL.newId();
    String secret = MATERIAL.newSecret();
    Instant now = Instant.now();
    em.createNativeQuery(
            "INSERT INTO agent_tokens (id, cluster_id, tenant_id, description, secret_hash,"
                + " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .setParameter(1, id)
        .setParameter(2, clusterId)
        .setParameter(3, tenantId)
        .setParameter(4, description)
        .setParameter(5, TokenMaterial.sha256(secret))
        .setParameter(6, Timestamp.from(now))
        .executeUpdate();
    audit.record(
        tenantId,
        actor,
        "agent-token.issued",
        "cluster",
        clusterId.toString(),
        Map.of("tokenId", id));
    return new IssuedAgentToken(id, clusterId, MATERIAL.token(id, secret), description, now);
  }

  /** Every agent token of the tenant's cluster, revoked ones included, oldest first. */
  @Transactional
  public List<AgentTokenView> list(String tenantId, UUID clusterId) {
    List<?> rows =
        em.createNativeQuery(
                "SELECT id, description, created_at, revoked_at, last_used_at FROM agent_tokens"
                    + " WHERE tenant_id = ?1 AND cluster_id = ?2 ORDER BY created_at, id")
            .setParameter(1, tenantId)
            .setParameter(2, clusterId)
            .getResultList();
    return rows.stream()
        .map(Object[].class::cast)
        .map(
            r ->
                new AgentTokenView(
                    (String) r[0],
                    (String) r[1],
                    Handoffs.instant(r[2]),
                    Handoffs.instant(r[3]),
                    Handoffs.instant(r[4])))
        .toList();
  }

  /**
   * Revokes an agent token of the tenant's cluster; revoking twice is harmless.
   *
   * @return false when the cluster has no token with this id
   */
  @Transactional
  public boolean revoke(String tenantId, UUID clusterId, String tokenId, String actor) {
    List<?> revoked =
        em.createNativeQuery(
                "UPDATE agent_tokens SET revoked_at = coalesce(revoked_at, now())"
                    + " WHERE tenant_id = ?1 AND cluster_id = ?2 AND id = ?3"
                    + " RETURNING revoked_at = now()")
            .setParameter(1, tenantId)
            .setParameter(2, clusterId)
            .setParameter(3, tokenId)
            .getResultList();
    if (revoked.isEmpty()) {
      return false;
    }
    if (!Boolean.TRUE.equals(revoked.get(0))) {
      return true;
    }
    audit.record(
        tenantId,
        actor,
        "agent-token.revoked",
        "cluster",
        clusterId.toString(),
        Map.of("tokenId", tokenId));
    return true;
  }

  @Override
  @Transactional
  public Optional<AgentToken> authenticate(String token) {
    Optional<TokenMaterial.Parts> parts = MATERIAL.parse(token);
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    List<?> rows =
        em.createNativeQuery(
                "SELECT tenant_id, cluster_id, secret_hash FROM agent_tokens"
                    + " WHERE id = ?1 AND revoked_at IS NULL")
            .setParameter(1, parts.get().id())
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] row = (Object[]) rows.get(0);
    if (!TokenMaterial.matches((byte[]) row[2], parts.get().secret())) {
      return Optional.empty();
    }
    em.createNativeQuery(
            "UPDATE agent_tokens SET last_used_at = now() WHERE id = ?1 AND (last_used_at IS NULL"
                + " OR last_used_at < now() - CAST(?2 AS interval))")
        .setParameter(1, parts.get().id())
        .setParameter(2, TOUCH_EVERY)
        .executeUpdate();
    return Optional.of(new AgentToken((String) row[0], (UUID) row[1], parts.get().id()));
  }
}
