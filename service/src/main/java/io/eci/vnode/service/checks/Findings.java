package io.eci.vnode.service.checks;

import io.eci.vnode.service.cluster.CheckReport;
import io.eci.vnode.service.cluster.CheckReport.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the checks of one registration found so far; checks running at once add to it. */
final class Findings {

  private final List<Problem> problems = new ArrayList<>();
  private final List<String> unverified = new ArrayList<>();
  private final Map<String, String> zones = new LinkedHashMap<>();
  private String identity;

  synchronized void problem(String field, String reason) {
    problems.add(new Problem(field, reason));
  }

  synchronized void unverified(String reason) {
    unverified.add(reason);
  }

  synchronized void identity(String uid) {
    identity = uid;
  }

  synchronized void zone(String vSwitchId, String zone) {
    zones.put(vSwitchId, zone);
  }

  synchronized CheckReport report() {
    return new CheckReport(problems, unverified, Optional.ofNullable(identity), zones);
  }
}
