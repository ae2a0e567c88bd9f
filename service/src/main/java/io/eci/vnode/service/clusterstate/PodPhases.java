package io.eci.vnode.service.clusterstate;

import io.eci.vnode.engine.status.PodPhase;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The engine's pod phases by their Kubernetes spelling, which the ledger stores and the API shows
 * and accepts ({@code ?phase=Running}).
 */
public final class PodPhases {

  /** Every phase as the API spells it, for messages: "Pending, Running, ...". */
  static final String LISTED =
      Arrays.stream(PodPhase.values()).map(PodPhase::wire).collect(Collectors.joining(", "));

  private PodPhases() {}

  /** The phase with this exact Kubernetes spelling, if any. */
  public static Optional<PodPhase> fromWire(String wire) {
    return Arrays.stream(PodPhase.values()).filter(p -> p.wire().equals(wire)).findFirst();
  }
}
