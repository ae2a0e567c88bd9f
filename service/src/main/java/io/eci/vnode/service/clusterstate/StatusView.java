package io.eci.vnode.service.clusterstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A cluster's status as the API shows it, derived by {@link StatusDerivation} from its registration
 * (mode, paused, being deregistered), its claim and its last report. A report is current for two
 * hosting periods; after that it is shown {@code stale} and never as the node's state. Until
 * whoever runs the cluster's virtual node first reports, {@code reported} is false.
 *
 * @param clusterId the cluster
 * @param state what the service does with the cluster now
 * @param reported whether a status was ever reported; the report's fields are absent until it was
 * @param stale whether the last report is older than two hosting periods (absent before the first)
 * @param nodeReady true only when a current report says the node takes pods; false while it does
 *     not, the report is stale, or the cluster is paused or being deregistered; absent when this
 *     service cannot know (unmanaged, or nothing reported yet)
 * @param lastHeartbeatAt when the node last renewed its Lease, as last reported
 * @param owner the service replica that holds the cluster now; absent while none does (paused,
 *     unmanaged, deregistering, between two replicas)
 * @param pods the node's pods by phase, as last reported
 * @param lastApiError the last failure to reach or use the cluster's API server, if any
 * @param lastEciError the last underlying ECI failure, if any; while a circuit breaker is open its
 *     message reads "circuit open since …, last cause: …"
 * @param reportedAt when the last report was written
 * @param deregistration the deregistration under way, while {@code state} is deregistering
 * @param handoff the cluster's last switch of mode, under way while {@code state} is handoff
 * @param agent the last heartbeat of the cluster's in-cluster agent, once one was heard from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"clusterId", "state", "reported"})
public record StatusView(
    UUID clusterId,
    @Schema(enumeration = {"running", "paused", "unmanaged", "handoff", "deregistering", "failing"})
        String state,
    boolean reported,
    Boolean stale,
    Boolean nodeReady,
    Instant lastHeartbeatAt,
    String owner,
    PodCounts pods,
    LastError lastApiError,
    LastError lastEciError,
    Instant reportedAt,
    DeregistrationProgress deregistration,
    HandoffView handoff,
    AgentView agent) {

  /**
   * A switch of mode: under way from the PATCH until the side now in charge (a service replica, or
   * the agent) holds the cluster's ownership Lease.
   *
   * @param toMode the mode switched to
   * @param requestedBy who switched, as the audit log names them
   * @param finishedAt when the new side took the Lease; absent while under way
   * @param durationMillis how long the handoff took; absent while under way
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(requiredProperties = {"toMode", "requestedBy", "startedAt"})
  public record HandoffView(
      String toMode,
      String requestedBy,
      Instant startedAt,
      Instant finishedAt,
      Long durationMillis) {

    /** Whether the new side does not hold the Lease yet. */
    public boolean underWay() {
      return finishedAt == null;
    }
  }

  /**
   * What the cluster's agent last said of itself.
   *
   * @param holder its identity in the ownership Lease
   * @param leaseOwner who held the ownership Lease as it saw it
   * @param configVersion the registration version it runs with
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AgentView(
      String holder,
      String agentVersion,
      String leaseOwner,
      String nodeName,
      Long configVersion,
      Instant lastHeartbeatAt) {}

  /**
   * How far a deregistration got.
   *
   * @param since when it was asked
   * @param attempts how many steps failed so far
   * @param progress what the last step did or waits for
   * @param lastError why the last failed step failed, if one did
   * @param nextAttemptAt when it goes on
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(requiredProperties = {"since", "attempts", "nextAttemptAt"})
  public record DeregistrationProgress(
      Instant since, int attempts, String progress, LastError lastError, Instant nextAttemptAt) {}
}
