package io.eci.vnode.service.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ApiTokenRepository implements PanacheRepositoryBase<ApiToken, String> {

  /** Every token of a tenant, revoked ones included, oldest first. */
  public List<ApiToken> listForTenant(String tenantId) {
    return list("tenantId = ?1 order by createdAt, id", tenantId);
  }
}
