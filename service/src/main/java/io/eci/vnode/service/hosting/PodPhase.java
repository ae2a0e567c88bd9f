package io.eci.vnode.service.hosting;

import java.util.Arrays;
import java.util.Optional;

/** A pod's phase, named as Kubernetes names it. */
public enum PodPhase {
  Pending,
  Running,
  Succeeded,
  Failed,
  Unknown;

  /** The phase with this exact Kubernetes name, if any. */
  public static Optional<PodPhase> fromWire(String value) {
    return Arrays.stream(values()).filter(p -> p.name().equals(value)).findFirst();
  }
}
