package io.eci.vnode.engine.status;

import java.util.Arrays;
import java.util.Optional;

/**
 * The status of an ECI container group and the Kubernetes pod phase it stands for, per Alibaba's
 * official ECI lifecycle table. ScheduleFailed, which that table leaves out, is Failed: the
 * instance will never run.
 */
public enum EciStatus {
  SCHEDULING("Scheduling", PodPhase.PENDING),
  SCHEDULE_FAILED("ScheduleFailed", PodPhase.FAILED),
  PENDING("Pending", PodPhase.PENDING),
  RUNNING("Running", PodPhase.RUNNING),
  RESTARTING("Restarting", PodPhase.PENDING),
  UPDATING("Updating", PodPhase.PENDING),
  TERMINATING("Terminating", PodPhase.RUNNING),
  SUCCEEDED("Succeeded", PodPhase.SUCCEEDED),
  FAILED("Failed", PodPhase.FAILED),
  EXPIRED("Expired", PodPhase.FAILED);

  private final String wire;
  private final PodPhase podPhase;

  EciStatus(String wire, PodPhase podPhase) {
    this.wire = wire;
    this.podPhase = podPhase;
  }

  /** The status string as ECI sends it. */
  public String wire() {
    return wire;
  }

  /** The pod phase a group in this status is shown as. */
  public PodPhase podPhase() {
    return podPhase;
  }

  /** Whether the group will never run again, so its pod's phase is final. */
  public boolean isFinal() {
    return podPhase == PodPhase.SUCCEEDED || podPhase == PodPhase.FAILED;
  }

  /** The status ECI sent, or empty for a value this version does not know (never guessed). */
  public static Optional<EciStatus> fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
  }
}
