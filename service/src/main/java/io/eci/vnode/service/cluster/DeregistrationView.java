package io.eci.vnode.service.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a DELETE of a cluster answers: a deregistration under way ({@code deregistering}, 202; its
 * progress is in the cluster's status) or, forced, done ({@code deleted}, 200) with the instances
 * it could not delete.
 *
 * @param clusterId the cluster
 * @param state {@code deregistering} while it goes on in the background, {@code deleted} once done
 * @param deregisteringSince when the deregistration began; absent once done
 * @param forced whether it was forced
 * @param instancesLeft for a forced one, the ECI instances it could not delete (also in the audit
 *     log); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"clusterId", "state", "forced"})
public record DeregistrationView(
    UUID clusterId,
    @Schema(enumeration = {"deregistering", "deleted"}) String state,
    Instant deregisteringSince,
    boolean forced,
    List<LeftInstanceView> instancesLeft) {

  /**
   * An ECI instance a forced deregistration left.
   *
   * @param id the instance's id
   * @param tags its tags: cluster, pod namespace, name and UID
   * @param source {@code eci} when ECI listed it and refused its deletion, {@code ledger} when ECI
   *     could not be asked and the pod ledger says it may still run
   */
  @Schema(requiredProperties = {"id", "tags", "source"})
  public record LeftInstanceView(
      String id,
      Map<String, String> tags,
      @Schema(enumeration = {"eci", "ledger"}) String source) {}

  static DeregistrationView deregistering(UUID clusterId, Instant since) {
    return new DeregistrationView(clusterId, "deregistering", since, false, null);
  }

  static DeregistrationView forced(UUID clusterId, List<Drain.LeftInstance> left) {
    return new DeregistrationView(
        clusterId,
        "deleted",
        null,
        true,
        left.stream().map(l -> new LeftInstanceView(l.id(), l.tags(), l.source())).toList());
  }
}
