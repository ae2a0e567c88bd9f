package io.eci.vnode.agent;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.util.Optional;

/** How the agent reaches the control service that owns its cluster's registration. */
@ConfigMapping(prefix = "agent")
public interface AgentConfig {

  /** The control service's base URL, e.g. {@code https://vnode.example.com}. */
  Optional<URI> serviceUrl();

  /** The id of this cluster's registration in the control service. */
  Optional<String> clusterId();

  /** The per-cluster agent token the control service issued. */
  Optional<String> token();
}
