package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.eci.EciException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one cluster's ECI has been failing with, kept across its engine's restarts: the last
 * underlying failure (code, message, first and last seen in a row, how often) and since when a
 * circuit breaker has refused calls. A breaker's own refusal never replaces the cause: while one is
 * open, the cluster's status says "circuit open since …, last cause: …".
 *
 * <p>It also keeps the cluster's ECI log quiet: one WARN when ECI starts failing (the cause, no
 * stack trace), a summary at most once a {@link #SUMMARY_EVERY} while it goes on, one INFO when it
 * answers again. Failures of one request (no stock, a bad request) are kept but not logged as ECI
 * being down.
 */
final class EciTrouble {

  private static final Logger LOG = LoggerFactory.getLogger(EciTrouble.class);

  /** How often a failure that goes on is summed up in the log. */
  static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);

  /**
   * The last underlying failure.
   *
   * @param code ECI's (or VPC's) error code, when it gave one
   * @param message what failed
   * @param firstSeenAt when this code was first seen, in a row of the same code
   * @param lastSeenAt when it was last seen
   * @param count how often it was seen in that row
   * @param circuitOpenSince since when a breaker refuses calls, or null while none does
   */
  record Cause(
      String code,
      String message,
      Instant firstSeenAt,
      Instant lastSeenAt,
      long count,
      Instant circuitOpenSince) {

    /** The cause in words, led by the breaker when one is open. */
    String describe() {
      String cause = code == null || message.contains(code) ? message : code + ": " + message;
      return circuitOpenSince == null
          ? cause
          : "circuit open since " + circuitOpenSince + ", last cause: " + cause;
    }
  }

  private final String cluster;
  private final Clock clock;
  private Cause last;
  private Instant circuitOpenSince;
  private Instant downSince;
  private long downFailures;
  private Instant summarisedAt;

  EciTrouble(String cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  /** An ECI (or VPC) call failed with its own error; {@code code} may be null. */
  synchronized void failed(String code, String message, boolean clusterWide) {
    Instant now = clock.instant();
    boolean same = last != null && Objects.equals(last.code(), code);
    last =
        new Cause(
            code,
            message,
            same ? last.firstSeenAt() : now,
            now,
            same ? last.count() + 1 : 1,
            circuitOpenSince);
    if (!clusterWide) {
      return;
    }
    downFailures++;
    if (downSince == null) {
      downSince = now;
      summarisedAt = now;
      LOG.warn("cluster {}: ECI is failing: {}", cluster, last.describe());
    } else {
      summariseIfDue(now);
    }
  }

  /** An ECI call failed with its own error. */
  void failed(EciException e) {
    failed(e.code(), e.getMessage(), isClusterWide(e));
  }

  /**
   * A circuit breaker refused a call.
   *
   * @return what the refusal says: since when calls are refused and the last cause
   */
  synchronized String refused() {
    Instant now = clock.instant();
    if (circuitOpenSince == null) {
      circuitOpenSince = now;
    }
    if (downSince == null) {
      downSince = now;
      summarisedAt = now;
    }
    downFailures++;
    summariseIfDue(now);
    return snapshot().map(Cause::describe).orElse("circuit open since " + circuitOpenSince);
  }

  /** An ECI call succeeded: any breaker let it through and ECI answered. */
  synchronized void succeeded() {
    circuitOpenSince = null;
    if (downSince != null) {
      LOG.info(
          "cluster {}: ECI answers again after {} s ({} failed calls)",
          cluster,
          Duration.between(downSince, clock.instant()).toSeconds(),
          downFailures);
      downSince = null;
      downFailures = 0;
    }
  }

  /** The last underlying failure, with the breaker's state now; empty if ECI never failed. */
  synchronized Optional<Cause> snapshot() {
    if (last == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Cause(
            last.code(),
            last.message(),
            last.firstSeenAt(),
            last.lastSeenAt(),
            last.count(),
            circuitOpenSince));
  }

  private void summariseIfDue(Instant now) {
    if (Duration.between(summarisedAt, now).compareTo(SUMMARY_EVERY) < 0) {
      return;
    }
    summarisedAt = now;
    LOG.warn(
        "cluster {}: ECI still failing after {} s ({} failed calls): {}",
        cluster,
        Duration.between(downSince, now).toSeconds(),
        downFailures,
        snapshot().map(Cause::describe).orElse("no cause recorded"));
  }

  /** Whether the failure means ECI is down for the whole cluster, not just for one request. */
  private static boolean isClusterWide(EciException e) {
    return switch (e.kind()) {
      case AUTHENTICATION, TRANSIENT, THROTTLED -> true;
      default -> false;
    };
  }
}
