package io.eci.vnode.service.clusterstate;

import io.eci.vnode.engine.status.PodPhase;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A cluster's pods on its virtual node, by phase. */
@Schema(requiredProperties = {"pending", "running", "succeeded", "failed"})
public record PodCounts(int pending, int running, int succeeded, int failed) {

  /** No pods. */
  public static final PodCounts NONE = new PodCounts(0, 0, 0, 0);

  /**
   * The counts of a phase-name map such as the engine's; phases other than these four are left out.
   */
  public static PodCounts fromPhases(Map<String, ? extends Number> byPhase) {
    return new PodCounts(
        count(byPhase, PodPhase.PENDING),
        count(byPhase, PodPhase.RUNNING),
        count(byPhase, PodPhase.SUCCEEDED),
        count(byPhase, PodPhase.FAILED));
  }

  private static int count(Map<String, ? extends Number> byPhase, PodPhase phase) {
    Number n = byPhase.get(phase.wire());
    return n == null ? 0 : n.intValue();
  }
}
