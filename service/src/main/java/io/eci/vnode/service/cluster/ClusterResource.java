package io.eci.vnode.service.cluster;

import io.eci.vnode.service.access.Allowed;
import io.eci.vnode.service.access.Role;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.api.PageTokens;
import io.eci.vnode.service.cluster.ClusterService.Page;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's cluster registry. Versions travel as ETags; changes need If-Match. */
@Path("/api/v1/clusters")
@Allowed(Role.TENANT)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "clusters", description = "Register clusters and set their ECI configuration")
public class ClusterResource {

  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String FORCE_UNMANAGED =
      "true switches to unmanaged though no agent of the cluster sent a heartbeat in the last"
          + " minute (new pods wait until one runs)";
  private static final int MAX_LIMIT = 200;
  private static final String VALIDATE =
      "false stores the API server and ECI settings without checking them against the API server"
          + " and the cloud (offline or air-gapped set-ups); the answer's validation is then"
          + " skipped, and the cluster's identity is not known, so a second registration of it is"
          + " not refused";

  private final ClusterService clusters;

  ClusterResource(ClusterService clusters) {
    this.clusters = clusters;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Register a cluster")
  @APIResponse(
      responseCode = "201",
      description =
          "Registered; the ETag is its version. validation says whether the settings were checked",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ClusterView.class)))
  @APIResponse(
      responseCode = "409",
      description =
          "The name is taken, or the cluster (its kube-system namespace's uid) is registered"
              + " already, by any tenant")
  @APIResponse(
      responseCode = "503",
      description = "A check could not come to an answer (the cloud failing); nothing was stored")
  public Response register(
      @Parameter(description = VALIDATE) @QueryParam("validate") @DefaultValue("true")
          boolean validate,
      @RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      schema =
                          @Schema(
                              implementation = ClusterSpec.class,
                              requiredProperties = {"name", "region", "mode", "apiServer", "eci"})))
          ClusterSpec spec,
      UriInfo uri) {
    ClusterView created = clusters.register(spec, validate);
    return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
        .tag(etag(created))
        .entity(created)
        .build();
  }

  @GET
  @Operation(summary = "List clusters by name, optionally filtered; follow nextPageToken for more")
  public Page list(
      @QueryParam("name") String nameContains,
      @QueryParam("mode") String mode,
      @QueryParam("limit") @DefaultValue("50") int limit,
      @QueryParam("pageToken") String pageToken) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiProblem.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (mode != null && Mode.fromWire(mode).isEmpty()) {
      throw ApiProblem.invalid("mode", "must be managed or unmanaged");
    }
    Page page = clusters.list(nameContains, mode, decodePageToken(pageToken), limit);
    return new Page(page.items(), encodePageToken(page.nextPageToken()));
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Get a cluster; its ETag is the version to send in If-Match")
  @APIResponse(
      responseCode = "200",
      description = "The cluster",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ClusterView.class)))
  public Response get(@PathParam("id") String id) {
    ClusterView cluster = clusters.get(parseId(id)).orElseThrow(() -> notFound(id));
    return Response.ok(cluster).tag(etag(cluster)).build();
  }

  @PATCH
  @Path("{id}")
  @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH})
  @Operation(summary = "Change a cluster: fields present replace the stored ones; needs If-Match")
  @APIResponse(
      responseCode = "200",
      description = "Changed; the ETag is its new version",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ClusterView.class)))
  @APIResponse(responseCode = "412", description = "If-Match names an older version")
  @APIResponse(responseCode = "428", description = "If-Match is missing")
  @APIResponse(
      responseCode = "409",
      description =
          "The new name is taken, the new API server's cluster is registered already, the"
              + " cluster is being deregistered, or it would switch to unmanaged with no agent"
              + " running (force=true switches anyway)")
  @APIResponse(
      responseCode = "503",
      description = "A check could not come to an answer (the cloud failing); nothing was changed")
  public Response change(
      @PathParam("id") String id,
      @Parameter(description = VALIDATE) @QueryParam("validate") @DefaultValue("true")
          boolean validate,
      @Parameter(description = FORCE_UNMANAGED) @QueryParam("force") @DefaultValue("false")
          boolean force,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      ClusterSpec change) {
    UUID clusterId = parseId(id);
    if (ifMatch == null) {
      // A caller without the version must not learn whether the id exists: check existence first.
      clusters.get(clusterId).orElseThrow(() -> notFound(id));
      throw ApiProblem.versionRequired();
    }
    ClusterView changed =
        clusters
            .change(clusterId, parseVersion(ifMatch), change, validate, force)
            .orElseThrow(() -> notFound(id));
    return Response.ok(changed).tag(etag(changed)).build();
  }

  @DELETE
  @Path("{id}")
  @Operation(
      summary =
          "Deregister a cluster: 202 at once, then in the background its engine stops, its ECI"
              + " instances are deleted (retried with back-off while ECI fails) and its node,"
              + " webhook and Leases removed before the record; progress in its status."
              + " keepPods=true refuses instead while pods run; force=true does it all at once"
              + " whatever ECI answers and lists the instances it could not delete; If-Match is"
              + " honoured when sent")
  @APIResponse(
      responseCode = "202",
      description =
          "Deregistering; Location is the cluster's status, which shows the progress until the"
              + " cluster is gone (404)",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = DeregistrationView.class)))
  @APIResponse(
      responseCode = "200",
      description = "Forced: deregistered, with the instances that could not be deleted",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = DeregistrationView.class)))
  @APIResponse(responseCode = "409", description = "keepPods=true and pods still run")
  @APIResponse(responseCode = "412", description = "If-Match names an older version")
  @APIResponse(
      responseCode = "503",
      description = "keepPods=true and ECI cannot be asked whether pods run")
  public Response delete(
      @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @QueryParam("keepPods") @DefaultValue("false") boolean keepPods,
      @QueryParam("force") @DefaultValue("false") boolean force,
      UriInfo uri) {
    Long version = ifMatch == null ? null : parseVersion(ifMatch);
    DeregistrationView answer =
        clusters.deregister(parseId(id), version, keepPods, force).orElseThrow(() -> notFound(id));
    if (answer.forced()) {
      return Response.ok(answer).build();
    }
    return Response.accepted(answer)
        .location(uri.getAbsolutePathBuilder().path("status").build())
        .build();
  }

  private static EntityTag etag(ClusterView cluster) {
    return new EntityTag(Long.toString(cluster.version()));
  }

  private static long parseVersion(String ifMatch) {
    String tag = ifMatch.trim();
    if (tag.startsWith("W/")) {
      tag = tag.substring(2);
    }
    tag = tag.replace("\"", "");
    try {
      return Long.parseLong(tag);
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid("If-Match", "must be the ETag of the cluster, e.g. \"3\"");
    }
  }

  private static UUID parseId(String id) {
    return ClusterIds.parse(id);
  }

  private static ApiProblem notFound(String id) {
    return ClusterIds.notFound(id);
  }

  private static String decodePageToken(String token) {
    List<String> position = PageTokens.decode(token, 1);
    return position == null ? null : position.get(0);
  }

  private static String encodePageToken(String lastName) {
    return lastName == null ? null : PageTokens.encode(List.of(lastName));
  }
}
