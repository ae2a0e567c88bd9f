package io.eci.vnode.engine.status;

/** The phases of a Kubernetes pod, with their API spelling. */
public enum PodPhase {
  PENDING("Pending"),
  RUNNING("Running"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed"),
  UNKNOWN("Unknown");

  private final String wire;

  PodPhase(String wire) {
    this.wire = wire;
  }

  /** The phase as the Kubernetes API spells it. */
  public String wire() {
    return wire;
  }
}
