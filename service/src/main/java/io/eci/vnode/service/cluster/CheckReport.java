package io.eci.vnode.service.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@link RegistrationChecks} found.
 *
 * @param problems what is wrong with the settings, by request field; empty when nothing is
 * @param unverified why a check could not come to an answer (the cloud failing, a timeout of a
 *     cloud call): the settings may be right, but nobody knows yet
 * @param clusterIdentity the uid of the cluster's {@code kube-system} namespace, when it was read
 * @param zones the zone of each vSwitch that exists, by vSwitch id
 */
public record CheckReport(
    List<Problem> problems,
    List<String> unverified,
    Optional<String> clusterIdentity,
    Map<String, String> zones) {

  /**
   * One thing wrong with the settings.
   *
   * @param field the request field it is about, e.g. {@code eci.vSwitchIds[1]}
   * @param reason what is wrong, with the cloud's or the API server's own error where there is one
   */
  public record Problem(String field, String reason) {}

  public CheckReport {
    problems = List.copyOf(problems);
    unverified = List.copyOf(unverified);
    zones = Map.copyOf(zones);
  }
}
