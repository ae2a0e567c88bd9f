package io.eci.vnode.service.audit;

import io.eci.vnode.service.access.Allowed;
import io.eci.vnode.service.access.Role;
import io.eci.vnode.service.api.ApiProblem;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's own audit trail, newest first. */
@Path("/api/v1/audit")
@Allowed(Role.TENANT)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "Who changed what, when")
public class AuditResource {

  private static final int MAX_LIMIT = 500;

  private final Entries entries;

  AuditResource(Entries entries) {
    this.entries = entries;
  }

  /** An audit entry as the API shows it. */
  public record AuditView(
      String actor,
      String action,
      String targetType,
      String targetId,
      Map<String, Object> details,
      String requestId,
      Instant occurredAt) {}

  @GET
  @Transactional
  @Operation(summary = "List the caller's audit entries, newest first, optionally for one target")
  public List<AuditView> list(
      @QueryParam("targetId") String targetId,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiProblem.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    var query =
        targetId == null
            ? entries.find("order by occurredAt desc, id desc")
            : entries.find("targetId = ?1 order by occurredAt desc, id desc", targetId);
    return query.page(0, limit).list().stream()
        .map(
            e ->
                new AuditView(
                    e.actor,
                    e.action,
                    e.targetType,
                    e.targetId,
                    e.details,
                    e.requestId,
                    e.occurredAt))
        .toList();
  }

  /** The tenant-filtered audit entries. */
  @ApplicationScoped
  public static class Entries implements PanacheRepositoryBase<AuditEntry, Long> {}
}
