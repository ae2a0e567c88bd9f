package io.eci.vnode.agent.engine;

import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.engine.node.LeaseHolder;
import java.time.Duration;

/**
 * Who the agent's engine is in the ownership Lease: {@code agent-<replica>/<cluster-id>/<config
 * version>}. Unique per agent process and configuration version, and never one of the service's
 * holders (theirs are its replicas' names), so the Lease alone fences the two sides of a toggle: no
 * timer decides who acts.
 */
public final class AgentHolder {

  /**
   * The service's ownership Lease timing (its {@code EngineFactory}), copied so both sides of a
   * toggle wait the same: 30 s without renewal, renewal given up after 20 s, a try every 5 s.
   */
  public static final Duration OWNERSHIP_LEASE = Duration.ofSeconds(30);

  public static final Duration OWNERSHIP_RENEW_DEADLINE = Duration.ofSeconds(20);
  public static final Duration OWNERSHIP_RETRY = Duration.ofSeconds(5);

  static final String PREFIX = "agent-";

  private AgentHolder() {}

  /** The holder of the engine {@code replica} runs under {@code config}. */
  public static LeaseHolder of(String replica, RemoteConfig config) {
    return new LeaseHolder(PREFIX + replica, config.clusterId(), config.version());
  }

  /** Whether {@code identity} is the holder of some agent's engine of the cluster. */
  public static boolean isAgentOf(String identity, String clusterId) {
    return LeaseHolder.parse(identity)
        .filter(h -> h.replica().startsWith(PREFIX) && h.registration().equals(clusterId))
        .isPresent();
  }
}
