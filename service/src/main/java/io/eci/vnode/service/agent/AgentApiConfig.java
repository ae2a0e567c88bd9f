package io.eci.vnode.service.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the service talks with clusters' agents. */
@ConfigMapping(prefix = "vnode.agent")
public interface AgentApiConfig {

  /**
   * How often an agent sends its heartbeat; its report stays current for two of them, and a switch
   * to unmanaged needs one within {@link #aliveWithin()}.
   */
  @WithDefault("10s")
  Duration heartbeatPeriod();

  /** How recent an agent's last heartbeat must be for a switch to unmanaged to go ahead. */
  @WithDefault("1m")
  Duration aliveWithin();

  /**
   * How often long-polling agents' registrations are checked for a change (one statement for all of
   * them): what a change on any replica waits at most before it reaches the agent.
   */
  @WithDefault("250ms")
  Duration watchPeriod();
}
