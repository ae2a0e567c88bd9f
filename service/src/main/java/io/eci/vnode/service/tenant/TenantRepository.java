package io.eci.vnode.service.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, String> {

  /** The tenant with this name, if any. */
  public Optional<Tenant> findByName(String name) {
    return find("name", name).firstResultOptional();
  }
}
