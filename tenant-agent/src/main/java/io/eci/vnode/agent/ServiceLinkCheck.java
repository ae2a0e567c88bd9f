package io.eci.vnode.agent;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The agent is ready only when it knows its control service, its cluster and its token; until then
 * the readiness answer names what is missing, so a broken install explains itself in {@code kubectl
 * describe}.
 */
@Readiness
@ApplicationScoped
public class ServiceLinkCheck implements HealthCheck {

  private final AgentConfig config;

  ServiceLinkCheck(AgentConfig config) {
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    List<String> missing = new ArrayList<>();
    if (config.serviceUrl().isEmpty()) {
      missing.add("agent.service-url");
    }
    if (config.clusterId().isEmpty()) {
      missing.add("agent.cluster-id");
    }
    if (config.token().isEmpty()) {
      missing.add("agent.token");
    }
    var answer = HealthCheckResponse.named("control-service-link").status(missing.isEmpty());
    if (missing.isEmpty()) {
      answer.withData("serviceUrl", config.serviceUrl().orElseThrow().toString());
    } else {
      answer.withData("missing", String.join(", ", missing));
    }
    return answer.build();
  }
}
