package io.eci.vnode.service.tenancy;

import io.eci.vnode.service.access.Caller;
import io.quarkus.arc.Arc;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells Hibernate which tenant a session works for. Every entity with an {@code @TenantId} field is
 * then filtered to that tenant on every query and stamped with it on every insert, so tenant
 * scoping cannot be forgotten in a repository. Outside a tenant's request the session sees no
 * tenant's rows at all.
 */
@PersistenceUnitExtension
@ApplicationScoped
public class CallerTenantResolver implements TenantResolver {

  /** The tenant id of sessions that act for no tenant; no tenant row ever has it. */
  public static final String NO_TENANT = "-";

  private final Caller caller;

  CallerTenantResolver(Caller caller) {
    this.caller = caller;
  }

  @Override
  public String getDefaultTenantId() {
    return NO_TENANT;
  }

  @Override
  public String resolveTenantId() {
    if (!Arc.container().requestContext().isActive()) {
      return NO_TENANT;
    }
    return caller.tenantId().orElse(NO_TENANT);
  }
}
