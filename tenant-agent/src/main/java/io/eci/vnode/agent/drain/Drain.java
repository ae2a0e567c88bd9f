package io.eci.vnode.agent.drain;

import io.eci.vnode.agent.cache.ConfigCache;
import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.agent.engine.AgentHolder;
import io.eci.vnode.agent.engine.EciAccess;
import io.eci.vnode.agent.engine.EciCredentialSource;
import io.eci.vnode.agent.link.AgentApi;
import io.eci.vnode.agent.link.ConfigAnswer;
import io.eci.vnode.agent.settings.AgentSettings;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.node.OutageLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an uninstall runs ({@code agent.mode=drain}, the chart's pre-delete hook): unless the
 * service owns the cluster's pods, it marks the cache Secret draining (the running agents close
 * their engine and give up the ownership Lease), waits for the Lease to be free of agents, deletes
 * every ECI instance tagged with the cluster until none is left, then the virtual node, its Leases
 * and the agent's webhook configuration. Each step prints a line.
 */
@ApplicationScoped
public class Drain {

  /** The exit status when nothing is left, or nothing was the agent's to remove. */
  public static final int DONE = 0;

  /** The exit status when something may be left. */
  public static final int LEFT = 1;

  /** How long instances may take to go once deleted. */
  static final Duration INSTANCES_GONE = Duration.ofMinutes(3);

  // A running engine sees the mark within a watch event and releases the Lease at once; a crashed
  // one's Lease expires.
  static final Duration LEASE_FREE = AgentHolder.OWNERSHIP_LEASE.plusSeconds(10);

  private final AgentSettings settings;
  private final AgentApi api;
  private final ConfigCache cache;
  private final EciAccess eci;
  private final EciCredentialSource credentials;
  private final ClusterLeftovers leftovers;

  Drain(
      AgentSettings settings,
      AgentApi api,
      ConfigCache cache,
      EciAccess eci,
      EciCredentialSource credentials,
      ClusterLeftovers leftovers) {
    this.settings = settings;
    this.api = api;
    this.cache = cache;
    this.eci = eci;
    this.credentials = credentials;
    this.leftovers = leftovers;
  }

  /** Drains, printing progress to {@code out}; returns the process's exit status. */
  public int run(PrintStream out) {
    List<String> missing = settings.missing();
    if (!missing.isEmpty()) {
      out.println("drain: cannot start, settings missing: " + String.join(", ", missing));
      return LEFT;
    }
    DrainDecision decision = decide();
    if (decision instanceof DrainDecision.LeaveToService leave) {
      out.println("drain: " + leave.reason());
      return DONE;
    }
    if (decision instanceof DrainDecision.CannotTell cannot) {
      out.println("drain: " + cannot.reason());
      return LEFT;
    }
    DrainDecision.Drain drain = (DrainDecision.Drain) decision;
    try {
      return drain(drain.config(), drain.source(), out);
    } catch (RuntimeException e) {
      out.println("drain: stopped, the API server failed: " + OutageLog.describe(e));
      return LEFT;
    }
  }

  private DrainDecision decide() {
    ConfigAnswer answer = api.config(Optional.empty(), Duration.ZERO);
    Optional<RemoteConfig> fromService =
        answer instanceof ConfigAnswer.Changed c ? Optional.of(c.config()) : Optional.empty();
    Optional<String> problem = Optional.empty();
    if (answer instanceof ConfigAnswer.Refused r) {
      problem = Optional.of(r.message());
    } else if (answer instanceof ConfigAnswer.Failed f) {
      problem = Optional.of("the service cannot be asked: " + f.message());
    }
    Optional<RemoteConfig> cached =
        fromService.isPresent() ? Optional.empty() : cache.read().map(ConfigCache.Cached::config);
    return DrainDecision.decide(fromService, cached, problem);
  }

  private int drain(RemoteConfig config, String source, PrintStream out) {
    String clusterId = config.clusterId();
    out.println(
        "drain: cluster "
            + clusterId
            + " is unmanaged per "
            + source
            + " (version "
            + config.version()
            + "); draining");
    cache.markDraining(Instant.now().toString());
    out.println("drain: marked " + ConfigCache.NAME + " draining; running agents close their node");
    if (!leftovers.awaitLeaseFreeOfAgents(clusterId, Instant.now().plus(LEASE_FREE))) {
      out.println("drain: an agent still holds the ownership Lease; deleting instances anyway");
    } else {
      out.println("drain: no agent holds the ownership Lease");
    }
    ContainerInstances instances;
    try {
      var signing = credentials.resolve(config);
      instances = eci.instances(eci.sdk(config.region(), () -> signing), config.region());
    } catch (RuntimeException e) {
      out.println("drain: ECI cannot be opened: " + e.getMessage() + "; nothing else removed");
      return LEFT;
    }
    List<String> left =
        new InstanceDrain(instances, clusterId, out).deleteAll(Instant.now().plus(INSTANCES_GONE));
    if (!left.isEmpty()) {
      out.println(
          "drain: "
              + left.size()
              + " ECI instances could not be deleted: "
              + String.join(", ", left)
              + "; the virtual node is kept so a new agent can follow them");
      return LEFT;
    }
    leftovers.removeAll(clusterId, out);
    cache.delete();
    out.println("drain: removed " + ConfigCache.NAME + "; nothing is left");
    return DONE;
  }
}
