package io.eci.vnode.agent.health;

import io.eci.vnode.agent.engine.EngineSupervisor;
import io.eci.vnode.agent.engine.RunningEngine;
import io.eci.vnode.agent.state.AgentState;
import io.eci.vnode.engine.VirtualNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether the virtual node the agent runs works, by name of what fails: the engine cannot be built
 * (credentials, zone), ECI refuses or cannot be reached, or the API server fails the agent's calls.
 * Up with the mode when the service runs the node instead.
 */
@Readiness
@ApplicationScoped
public class VirtualNodeCheck implements HealthCheck {

  static final String NAME = "virtual-node";

  private final EngineSupervisor supervisor;
  private final AgentState state;

  VirtualNodeCheck(EngineSupervisor supervisor, AgentState state) {
    this.supervisor = supervisor;
    this.state = state;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder answer = HealthCheckResponse.named(NAME);
    boolean up = true;
    supervisor
        .config()
        .ifPresent(c -> answer.withData("mode", c.mode()).withData("paused", c.paused()));
    if (supervisor.isDraining()) {
      answer.withData("draining", "a drain began; the agent runs no virtual node");
    }
    if (state.engine().isPresent()) {
      up = false;
      answer.withData("engineNotStarted", state.engine().get().message());
    }
    if (state.webhook().isPresent()) {
      up = false;
      answer.withData("webhook", state.webhook().get().message());
    }
    if (state.apiServer().isPresent()) {
      up = false;
      answer.withData("apiServer", state.apiServer().get().message());
    }
    Optional<RunningEngine> running = supervisor.running();
    if (running.isPresent()) {
      VirtualNode.Status status = running.get().node().status();
      answer
          .withData("node", running.get().node().nodeName())
          .withData("holder", running.get().holder().identity())
          .withData("owner", status.owner())
          .withData("nodeReady", status.nodeReady());
      if (status.owner() && !status.nodeReady()) {
        up = false;
        answer.withData("eci", status.lastError().orElse("ECI does not answer"));
      }
      // Not owning, the last API error may only say who holds the Lease: shown, not failed.
      if (status.lastApiError().isPresent()) {
        answer.withData("lastApiError", status.lastApiError().get());
        up = up && !status.owner();
      }
    }
    return answer.status(up).build();
  }
}
