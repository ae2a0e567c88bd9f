package io.eci.vnode.engine.eci;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ECI instance as the engine sees it: an immutable snapshot from one describe.
 *
 * @param id the container group id
 * @param name the container group name
 * @param status the status, empty when ECI sent one this version does not know
 * @param rawStatus the status string as sent
 * @param zoneId where it runs
 * @param vSwitchId the vSwitch it was placed in
 * @param intranetIp its address in the VPC; empty until assigned
 * @param tags its tags (cluster, namespace, pod name and uid, node)
 * @param containers its containers' states
 * @param events its events, e.g. a NoStock warning
 * @param createdAt when ECI created it
 */
public record Instance(
    String id,
    String name,
    Optional<EciStatus> status,
    String rawStatus,
    String zoneId,
    String vSwitchId,
    String intranetIp,
    Map<String, String> tags,
    List<ContainerStatus> containers,
    List<Event> events,
    Instant createdAt) {

  /**
   * One container's state.
   *
   * @param state Waiting, Running or Terminated
   * @param reason ECI's detail status (e.g. ContainerCreating, CrashLoopBackOff, Completed)
   * @param exitCode for a Terminated state
   */
  public record ContainerStatus(
      String name,
      String image,
      String state,
      String reason,
      Integer exitCode,
      Instant startedAt,
      Instant finishedAt,
      int restartCount,
      Integer lastExitCode) {}

  /** An ECI event on the instance. */
  public record Event(String type, String reason, String message) {}
}
