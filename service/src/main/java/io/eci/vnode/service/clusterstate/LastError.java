package io.eci.vnode.service.clusterstate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The most recent failure of one kind, as shown to the cluster's owner. While a circuit breaker
 * refuses calls, the message leads with {@code circuit open since …, last cause: …} and the other
 * fields still describe the underlying failure, never the breaker's refusal.
 *
 * @param message what failed, in words the owner can act on
 * @param at when it was last seen
 * @param code the cloud's error code of the underlying failure, when it gave one
 * @param firstSeenAt when the failure with this code was first seen, in a row
 * @param lastSeenAt when it was last seen (the same as {@code at})
 * @param count how often it was seen in that row
 * @param circuitOpenSince since when a circuit breaker has refused calls, while one does
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"message", "at"})
public record LastError(
    String message,
    Instant at,
    String code,
    Instant firstSeenAt,
    Instant lastSeenAt,
    Long count,
    Instant circuitOpenSince) {

  /** A failure known only by its message and time. */
  public static LastError of(String message, Instant at) {
    return new LastError(message, at, null, null, null, null, null);
  }
}
