package io.eci.vnode.service.tenant;

import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.api.InvalidParams;
import io.eci.vnode.service.audit.AuditLog;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creates and lists tenants; the operator's side of tenancy. */
@ApplicationScoped
@Transactional
public class TenantService {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final TenantRepository tenants;
  private final AuditLog audit;

  TenantService(TenantRepository tenants, AuditLog audit) {
    this.tenants = tenants;
    this.audit = audit;
  }

  /** A tenant as the API shows it. */
  public record TenantView(String id, String name, Instant createdAt) {
    static TenantView of(Tenant t) {
      return new TenantView(t.id, t.name, t.createdAt);
    }
  }

  /** Creates a tenant with a unique DNS-label name. */
  public TenantView create(String name, String actor) {
    InvalidParams invalid = new InvalidParams();
    if (name == null || !NAME.matcher(name).matches()) {
      invalid.add(
          "name",
          "must be 1-63 lowercase letters, digits or '-', starting and ending alphanumeric");
    }
    invalid.throwIfAny();
    if (tenants.findByName(name).isPresent()) {
      throw ApiProblem.conflict("name", "A tenant named '" + name + "' already exists");
    }
    Tenant tenant = new Tenant();
    tenant.id = UUID.randomUUID().toString();
    tenant.name = name;
    tenant.createdAt = Instant.now();
    tenants.persist(tenant);
    audit.record(tenant.id, actor, "tenant.created", "tenant", tenant.id, Map.of("name", name));
    return TenantView.of(tenant);
  }

  /** Every tenant, by name. */
  public List<TenantView> list() {
    return tenants.listAll(Sort.by("name")).stream().map(TenantView::of).toList();
  }

  /** The tenant with this id. */
  public Optional<TenantView> get(String id) {
    return tenants.findByIdOptional(id).map(TenantView::of);
  }
}
