package io.eci.vnode.agent.drain;

import io.eci.vnode.agent.configuration.RemoteConfig;
import java.util.Optional;

/** Whether an uninstall's drain may remove what the agent made, decided before it touches any. */
public sealed interface DrainDecision {

  /** Drain the cluster as {@code config} describes it (region, credentials). */
  record Drain(RemoteConfig config, String source) implements DrainDecision {}

  /** The service runs the cluster's virtual node: its pods, node and webhook are the service's. */
  record LeaveToService(String reason) implements DrainDecision {}

  /** Nothing says whose the pods are: remove nothing and fail, so the uninstall says why. */
  record CannotTell(String reason) implements DrainDecision {}

  /**
   * The decision from the service's answer (if it gave one) or else the cached configuration.
   *
   * @param serviceProblem why the service gave none
   */
  static DrainDecision decide(
      Optional<RemoteConfig> fromService,
      Optional<RemoteConfig> cached,
      Optional<String> serviceProblem) {
    Optional<RemoteConfig> known = fromService.or(() -> cached);
    String source = fromService.isPresent() ? "the service" : "the cached configuration";
    if (known.isEmpty()) {
      return new CannotTell(
          "no configuration is known ("
              + serviceProblem.orElse("the service gave none")
              + "; none is cached), so it cannot be told whether the service owns the pods;"
              + " nothing was removed");
    }
    RemoteConfig config = known.get();
    if (!RemoteConfig.UNMANAGED.equals(config.mode())) {
      return new LeaveToService(
          "the cluster is in "
              + config.mode()
              + " mode per "
              + source
              + ": its pods, virtual node and webhook are the service's; nothing was removed");
    }
    return new Drain(config, source);
  }
}
