package io.eci.vnode.service.hosting;

import java.util.Map;

/** A cluster's pods on its virtual node, by phase. */
public record PodCounts(int pending, int running, int succeeded, int failed) {

  /** No pods. */
  public static final PodCounts NONE = new PodCounts(0, 0, 0, 0);

  /**
   * The counts of a phase-name map such as the engine's; phases other than these four are left out.
   */
  public static PodCounts fromPhases(Map<String, ? extends Number> byPhase) {
    return new PodCounts(
        count(byPhase, PodPhase.Pending),
        count(byPhase, PodPhase.Running),
        count(byPhase, PodPhase.Succeeded),
        count(byPhase, PodPhase.Failed));
  }

  private static int count(Map<String, ? extends Number> byPhase, PodPhase phase) {
    Number n = byPhase.get(phase.name());
    return n == null ? 0 : n.intValue();
  }
}
