package io.eci.vnode.agent.health;

import io.eci.vnode.agent.cache.ConfigCache;
import io.eci.vnode.agent.settings.AgentSettings;
import io.eci.vnode.agent.state.AgentState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the agent has what it needs from its control service, and if not, what is missing, so a
 * broken install explains itself in {@code kubectl describe}: settings not given, the token
 * refused, or no configuration ever obtained and none cached. A service that cannot be reached
 * while a cached configuration runs the node is shown, not failed: the pods do not depend on it.
 */
@Readiness
@ApplicationScoped
public class ServiceLinkCheck implements HealthCheck {

  static final String NAME = "control-service-link";

  private final AgentSettings settings;
  private final AgentState state;

  ServiceLinkCheck(AgentSettings settings, AgentState state) {
    this.settings = settings;
    this.state = state;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder answer = HealthCheckResponse.named(NAME);
    List<String> missing = settings.missing();
    if (!missing.isEmpty()) {
      return answer.down().withData("missing", String.join(", ", missing)).build();
    }
    answer.withData("serviceUrl", settings.serviceUrl().toString());
    answer.withData("clusterId", settings.clusterId());
    boolean up = true;
    if (state.refused().isPresent()) {
      up = false;
      AgentState.Problem refused = state.refused().get();
      answer
          .withData("tokenRefused", refused.message())
          .withData("since", refused.since().toString());
    }
    state
        .unreachable()
        .ifPresent(
            p ->
                answer
                    .withData("serviceUnreachable", p.message())
                    .withData("since", p.since().toString()));
    if (state.source().isEmpty()) {
      up = false;
      answer.withData(
          "config",
          "never obtained from the service, and no cached configuration in Secret "
              + settings.namespace()
              + "/"
              + ConfigCache.NAME);
    } else {
      answer
          .withData("configSource", state.source().get().name().toLowerCase())
          .withData("configVersion", state.version());
    }
    return answer.status(up).build();
  }
}
