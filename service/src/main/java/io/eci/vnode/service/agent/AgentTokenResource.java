package io.eci.vnode.service.agent;

import io.eci.vnode.service.access.Allowed;
import io.eci.vnode.service.access.Caller;
import io.eci.vnode.service.access.Role;
import io.eci.vnode.service.agent.AgentTokens.AgentTokenView;
import io.eci.vnode.service.agent.AgentTokens.IssuedAgentToken;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.cluster.ClusterIds;
import io.eci.vnode.service.cluster.ClusterService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's door to its clusters' agent tokens: issue, list, revoke. */
@Path("/api/v1/clusters/{id}/agent-tokens")
@Allowed(Role.TENANT)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "agent tokens", description = "Tokens of a cluster's in-cluster agent (unmanaged mode)")
public class AgentTokenResource {

  private final AgentTokens tokens;
  private final ClusterService clusters;
  private final Caller caller;

  AgentTokenResource(AgentTokens tokens, ClusterService clusters, Caller caller) {
    this.tokens = tokens;
    this.clusters = clusters;
    this.caller = caller;
  }

  /** The body of a token request; the description is for the humans who will revoke it. */
  public record NewAgentToken(String description) {}

  /** The cluster's tokens, oldest first. */
  public record AgentTokenList(List<AgentTokenView> items) {}

  @POST
  @Operation(
      summary =
          "Issue a token for the cluster's agent; shown only in this answer. Several stay valid at"
              + " once: install the new one, then revoke the old")
  @APIResponse(
      responseCode = "201",
      description = "Issued",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = IssuedAgentToken.class)))
  public Response issue(@PathParam("id") String id, NewAgentToken body, UriInfo uri) {
    UUID clusterId = existing(id);
    IssuedAgentToken issued =
        tokens.issue(
            caller.tenantId().orElseThrow(),
            clusterId,
            body == null ? null : body.description(),
            caller.actor());
    return Response.created(uri.getAbsolutePathBuilder().path(issued.id()).build())
        .entity(issued)
        .build();
  }

  @GET
  @Operation(summary = "List the cluster's agent tokens (never their secrets)")
  public AgentTokenList list(@PathParam("id") String id) {
    return new AgentTokenList(tokens.list(caller.tenantId().orElseThrow(), existing(id)));
  }

  @DELETE
  @Path("{tokenId}")
  @Operation(summary = "Revoke an agent token; it stops working at once")
  @APIResponse(responseCode = "204", description = "Revoked")
  public Response revoke(@PathParam("id") String id, @PathParam("tokenId") String tokenId) {
    if (!tokens.revoke(caller.tenantId().orElseThrow(), existing(id), tokenId, caller.actor())) {
      throw ApiProblem.notFound("agent token", tokenId);
    }
    return Response.noContent().build();
  }

  private UUID existing(String id) {
    UUID clusterId = ClusterIds.parse(id);
    clusters.get(clusterId).orElseThrow(() -> ClusterIds.notFound(id));
    return clusterId;
  }
}
