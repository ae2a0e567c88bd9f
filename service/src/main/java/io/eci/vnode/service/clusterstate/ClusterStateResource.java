package io.eci.vnode.service.clusterstate;

import io.eci.vnode.engine.status.PodPhase;
import io.eci.vnode.service.access.Allowed;
import io.eci.vnode.service.access.Role;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.cluster.ClusterIds;
import io.eci.vnode.service.clusterstate.ClusterStateService.PodPage;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the virtual node of a tenant's cluster reports: its status and its pods' ECI instances. */
@Path("/api/v1/clusters/{id}")
@Allowed(Role.TENANT)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cluster state", description = "Read the virtual node's status and its ECI pods")
public class ClusterStateResource {

  private static final int MAX_LIMIT = 200;

  private final ClusterStateService state;

  ClusterStateResource(ClusterStateService state) {
    this.state = state;
  }

  /** One page of pods and the token of the next page, if there is one. */
  public record Page(List<PodView> items, String nextPageToken) {}

  @GET
  @Path("status")
  @Operation(
      summary =
          "Get the cluster's status: its state (running, paused, unmanaged, deregistering,"
              + " failing), readiness, owner, heartbeat, pods by phase, last errors (the underlying"
              + " cause stays while a circuit breaker is open) and a deregistration's progress;"
              + " a report older than two hosting periods is marked stale, never shown as"
              + " current; reported is false until the node first reports")
  public StatusView status(@PathParam("id") String id) {
    return state.status(parseId(id)).orElseThrow(() -> notFound(id));
  }

  @GET
  @Path("pods")
  @Operation(
      summary =
          "List the cluster's ECI pods (deleted ones included) by namespace and name, optionally"
              + " of one phase; follow nextPageToken for more")
  public Page pods(
      @PathParam("id") String id,
      @QueryParam("phase")
          @Parameter(
              description = "Only pods in this phase",
              schema =
                  @Schema(
                      type = SchemaType.STRING,
                      enumeration = {"Pending", "Running", "Succeeded", "Failed", "Unknown"}))
          String phase,
      // Read as text: JAX-RS answers 404 to a query parameter it cannot convert, not 400.
      @QueryParam("limit")
          @DefaultValue("50")
          @Parameter(
              description = "Pods per page",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "200",
                      defaultValue = "50"))
          String limit,
      @QueryParam("pageToken") @Parameter(description = "nextPageToken of the previous page")
          String pageToken) {
    UUID clusterId = parseId(id);
    int pageSize = parseLimit(limit);
    PodPhase onlyPhase =
        phase == null
            ? null
            : PodPhases.fromWire(phase)
                .orElseThrow(
                    () -> ApiProblem.invalid("phase", "must be one of " + PodPhases.LISTED));
    PodPage page =
        state
            .pods(clusterId, onlyPhase, decodePageToken(pageToken), pageSize)
            .orElseThrow(() -> notFound(id));
    return new Page(page.items(), encodePageToken(page.next()));
  }

  private static int parseLimit(String limit) {
    try {
      int n = Integer.parseInt(limit.trim());
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below with the range
    }
    throw ApiProblem.invalid("limit", "must be a whole number between 1 and " + MAX_LIMIT);
  }

  private static UUID parseId(String id) {
    return ClusterIds.parse(id);
  }

  private static ApiProblem notFound(String id) {
    return ClusterIds.notFound(id);
  }

  // Namespaces, names and UIDs never contain '/', so it separates them unambiguously.
  private static PodCursor decodePageToken(String token) {
    if (token == null) {
      return null;
    }
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("/", -1);
      if (parts.length == 3 && Arrays.stream(parts).noneMatch(String::isEmpty)) {
        return new PodCursor(parts[0], parts[1], parts[2]);
      }
    } catch (IllegalArgumentException e) {
      // not base64: refused below like any other token this API did not hand out
    }
    throw ApiProblem.invalid("pageToken", "is not a token this API handed out");
  }

  private static String encodePageToken(PodCursor last) {
    if (last == null) {
      return null;
    }
    String position = last.namespace() + "/" + last.name() + "/" + last.podUid();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }
}
