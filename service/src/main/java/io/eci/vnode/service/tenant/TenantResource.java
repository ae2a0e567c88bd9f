package io.eci.vnode.service.tenant;

import io.eci.vnode.service.access.Allowed;
import io.eci.vnode.service.access.Caller;
import io.eci.vnode.service.access.Role;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.tenant.TenantService.TenantView;
import io.eci.vnode.service.tenant.TokenService.IssuedToken;
import io.eci.vnode.service.tenant.TokenService.TokenView;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tenant administration, for the operator only. */
@Path("/api/v1/tenants")
@Allowed(Role.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tenants", description = "Operator: tenants and their API tokens")
public class TenantResource {

  private final TenantService tenants;
  private final TokenService tokens;
  private final Caller caller;

  TenantResource(TenantService tenants, TokenService tokens, Caller caller) {
    this.tenants = tenants;
    this.tokens = tokens;
    this.caller = caller;
  }

  /** The body of a tenant creation. */
  public record NewTenant(@Schema(required = true) String name) {}

  /** The body of a token request; the description is for the humans who will revoke it. */
  public record NewToken(String description) {}

  @POST
  @Operation(summary = "Create a tenant")
  @APIResponse(
      responseCode = "201",
      description = "Created",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = TenantView.class)))
  public Response create(NewTenant body, UriInfo uri) {
    if (body == null) {
      throw ApiProblem.invalid("body", "is required");
    }
    TenantView tenant = tenants.create(body.name(), caller.actor());
    return Response.created(uri.getAbsolutePathBuilder().path(tenant.id()).build())
        .entity(tenant)
        .build();
  }

  @GET
  @Operation(summary = "List tenants")
  public List<TenantView> list() {
    return tenants.list();
  }

  @GET
  @Path("{id}")
  @Operation(summary = "Get a tenant")
  public TenantView get(@PathParam("id") String id) {
    return tenants.get(id).orElseThrow(() -> ApiProblem.notFound("tenant", id));
  }

  @POST
  @Path("{id}/tokens")
  @Operation(summary = "Issue an API token for a tenant; the token is shown only in this answer")
  @APIResponse(
      responseCode = "201",
      description = "Issued",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = IssuedToken.class)))
  public Response issueToken(@PathParam("id") String id, NewToken body, UriInfo uri) {
    IssuedToken issued = tokens.issue(id, body == null ? null : body.description(), caller.actor());
    return Response.created(uri.getAbsolutePathBuilder().path(issued.id()).build())
        .entity(issued)
        .build();
  }

  @GET
  @Path("{id}/tokens")
  @Operation(summary = "List a tenant's tokens (never their secrets)")
  public List<TokenView> listTokens(@PathParam("id") String id) {
    return tokens.list(id);
  }

  @DELETE
  @Path("{id}/tokens/{tokenId}")
  @Operation(summary = "Revoke a token; it stops working at once")
  @APIResponse(responseCode = "204", description = "Revoked")
  public Response revokeToken(@PathParam("id") String id, @PathParam("tokenId") String tokenId) {
    tokens.revoke(id, tokenId, caller.actor());
    return Response.noContent().build();
  }
}
