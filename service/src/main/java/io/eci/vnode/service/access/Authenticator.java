package io.eci.vnode.service.access;

import io.eci.vnode.service.api.ApiProblem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every API request by its bearer token and checks the resource's {@link Allowed}
 * role. Unknown, malformed and revoked tokens all get the same 401, so a caller learns nothing
 * about which tokens exist.
 */
public class Authenticator {

  private static final String BEARER = "Bearer ";

  private static final String AGENT_PATH = "/agent/";

  private final Tokens tokens;
  private final AgentCredentials agents;
  private final Caller caller;

  Authenticator(Tokens tokens, AgentCredentials agents, Caller caller) {
    this.tokens = tokens;
    this.agents = agents;
    this.caller = caller;
  }

  @ServerRequestFilter
  public void authenticate(ContainerRequestContext request, ResourceInfo resource) {
    String path = request.getUriInfo().getPath();
    boolean agentApi = path.startsWith(AGENT_PATH);
    if (!path.startsWith("/api/") && !agentApi) {
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiProblem.unauthorized("Send Authorization: Bearer <token>");
    }
    String token = header.substring(BEARER.length()).trim();
    if (agentApi) {
      // Only agent tokens open the agent API, and an agent token opens nothing else.
      var agent =
          agents
              .authenticate(token)
              .orElseThrow(() -> ApiProblem.unauthorized("The agent token is unknown or revoked"));
      caller.becomeAgent(agent.tenantId(), agent.clusterId(), agent.tokenId());
    } else if (tokens.isOperatorToken(token)) {
      caller.becomeOperator();
    } else {
      var tenantToken =
          tokens
              .authenticate(token)
              .orElseThrow(() -> ApiProblem.unauthorized("The token is unknown or revoked"));
      caller.becomeTenant(tenantToken.tenantId(), tenantToken.tokenId());
    }
    Role required = requiredRole(resource);
    if (required == null) {
      throw ApiProblem.forbidden("This endpoint has no access rule and is closed");
    }
    if (caller.role().orElseThrow() != required) {
      throw ApiProblem.forbidden(
          switch (required) {
            case OPERATOR -> "Only the operator token may administer tenants";
            case TENANT ->
                "Use a tenant token: the operator token does not act on a tenant's clusters";
            case AGENT -> "Only a cluster's agent token opens the agent API";
          });
    }
  }

  private static Role requiredRole(ResourceInfo resource) {
    Allowed onMethod = resource.getResourceMethod().getAnnotation(Allowed.class);
    if (onMethod != null) {
      return onMethod.value();
    }
    Allowed onClass = resource.getResourceClass().getAnnotation(Allowed.class);
    return onClass == null ? null : onClass.value();
  }
}
