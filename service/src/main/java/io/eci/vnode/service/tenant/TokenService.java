package io.eci.vnode.service.tenant;

import io.eci.vnode.service.access.TokenMaterial;
import io.eci.vnode.service.access.Tokens;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.audit.AuditLog;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues, checks and revokes API tokens. A tenant token reads {@code vnt_<id>_<secret>}: the id
 * finds the row, the secret is compared by hash in constant time.
 */
@ApplicationScoped
@Startup
public class TokenService implements Tokens {

  private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
  private static final TokenMaterial MATERIAL = new TokenMaterial("vnt_");

  private final ApiTokenRepository tokens;
  private final TenantRepository tenants;
  private final AuditLog audit;
  private final byte[] operatorTokenHash;

  TokenService(
      ApiTokenRepository tokens,
      TenantRepository tenants,
      AuditLog audit,
      OperatorConfig operator) {
    this.tokens = tokens;
    this.tenants = tenants;
    this.audit = audit;
    this.operatorTokenHash =
        operator.token().filter(t -> !t.isBlank()).map(TokenMaterial::sha256).orElse(null);
    if (operatorTokenHash == null) {
      LOG.warn("vnode.operator.token is not set: tenant administration is closed");
    }
  }

  /** A token as issued: {@code token} is shown this once and never again. */
  public record IssuedToken(
      String id, String tenantId, String token, String description, Instant createdAt) {}

  /** A token as listed: no secret. */
  public record TokenView(String id, String description, Instant createdAt, Instant revokedAt) {}

  @Override
  public boolean isOperatorToken(String token) {
    return operatorTokenHash != null && TokenMaterial.matches(operatorTokenHash, token);
  }

  @Override
  @Transactional
  public Optional<TenantToken> authenticate(String token) {
    return MATERIAL
        .parse(token)
        .flatMap(
            parts ->
                tokens
                    .findByIdOptional(parts.id())
                    .filter(row -> row.revokedAt == null)
                    .filter(row -> TokenMaterial.matches(row.secretHash, parts.secret())))
        .map(row -> new TenantToken(row.tenantId, row.id));
  }

  /** Issues a new token for an existing tenant. */
  @Transactional
  public IssuedToken issue(String tenantId, String description, String actor) {
    requireTenant(tenantId);
    ApiToken row = new ApiToken();
    row.id = MATERIAL.newId();
    row.tenantId = tenantId;
    row.description = description;
    String secret = MATERIAL.newSecret();
    row.secretHash = TokenMaterial.sha256(secret);
    row.createdAt = Instant.now();
    tokens.persist(row);
    audit.record(tenantId, actor, "token.issued", "token", row.id, Map.of());
    return new IssuedToken(
        row.id, tenantId, MATERIAL.token(row.id, secret), description, row.createdAt);
  }

  /** Every token of a tenant, without secrets. */
  @Transactional
  public List<TokenView> list(String tenantId) {
    requireTenant(tenantId);
    return tokens.listForTenant(tenantId).stream()
        .map(t -> new TokenView(t.id, t.description, t.createdAt, t.revokedAt))
        .toList();
  }

  /** Revokes a token of a tenant; revoking twice is harmless. */
  @Transactional
  public void revoke(String tenantId, String tokenId, String actor) {
    ApiToken row =
        tokens
            .findByIdOptional(tokenId)
            .filter(t -> t.tenantId.equals(tenantId))
            .orElseThrow(() -> ApiProblem.notFound("token", tokenId));
    if (row.revokedAt == null) {
      row.revokedAt = Instant.now();
      audit.record(tenantId, actor, "token.revoked", "token", tokenId, Map.of());
    }
  }

  private void requireTenant(String tenantId) {
    if (tenants.findByIdOptional(tenantId).isEmpty()) {
      throw ApiProblem.notFound("tenant", tenantId);
    }
  }
}
