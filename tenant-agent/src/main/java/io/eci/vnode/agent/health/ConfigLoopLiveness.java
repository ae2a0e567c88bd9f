package io.eci.vnode.agent.health;

import io.eci.vnode.agent.sync.ConfigLoop;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Up unless the configuration loop has died: without it the agent would never see a toggle again,
 * and only a restart brings it back. An outage of the service or the API server is no reason to
 * restart (readiness shows those).
 */
@Liveness
@ApplicationScoped
public class ConfigLoopLiveness implements HealthCheck {

  private final ConfigLoop loop;

  ConfigLoopLiveness(ConfigLoop loop) {
    this.loop = loop;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("configuration-loop").status(loop.alive()).build();
  }
}
