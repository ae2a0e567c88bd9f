package io.eci.vnode.engine.eci;

import java.util.Arrays;
import java.util.Optional;

/**
 * The status of an ECI container group, with whether it is final, per Alibaba's official ECI
 * lifecycle table. ScheduleFailed, which that table leaves out, is final: the instance will never
 * run. The pod phase each stands for is the status mapper's ({@code StatusMapper.phase}).
 */
public enum EciStatus {
  SCHEDULING("Scheduling", false),
  SCHEDULE_FAILED("ScheduleFailed", true),
  PENDING("Pending", false),
  RUNNING("Running", false),
  RESTARTING("Restarting", false),
  UPDATING("Updating", false),
  TERMINATING("Terminating", false),
  SUCCEEDED("Succeeded", true),
  FAILED("Failed", true),
  EXPIRED("Expired", true);

  private final String wire;
  private final boolean isFinal;

  EciStatus(String wire, boolean isFinal) {
    this.wire = wire;
    this.isFinal = isFinal;
  }

  /** The status string as ECI sends it. */
  public String wire() {
    return wire;
  }

  /** Whether the group will never run again, so its pod's phase is final. */
  public boolean isFinal() {
    return isFinal;
  }

  /** The status ECI sent, or empty for a value this version does not know (never guessed). */
  public static Optional<EciStatus> fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
  }
}
