package io.eci.vnode.engine.node;

import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.node.Permissions.Permission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the virtual node says about its health, and when: Ready while ECI answers, NotReady with the
 * reason when ECI is unreachable or refuses the credentials (so {@code kubectl get no} and {@code
 * describe} explain why pods do not start); the node's registration and heartbeat; the last failure
 * to reach the API server, or else what the cluster's RBAC refuses ({@link PermissionCheck}). Only
 * an owner writes to the node.
 */
public final class NodeHealth {

  private static final Logger LOG = LoggerFactory.getLogger(NodeHealth.class);

  private final NodeObjects node;
  private final PermissionCheck permissions;
  private final BooleanSupplier owner;
  private final NodeWork work;
  private final Clock clock;
  private volatile boolean eciHealthy = true;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private volatile String lastApiError;
  private volatile Instant lastApiErrorAt;
  private final Supplier<Optional<OwnershipLease.Passive>> passive;
  private final OutageLog apiServer;

  /**
   * @param node the node's objects: where its condition and Events go
   * @param missingPermissions asks the API server which required permissions the engine lacks;
   *     throws when it cannot be asked
   * @param owner whether the engine acts for the cluster now
   * @param work the node's lane, where the heartbeat and permission checks run
   */
  public NodeHealth(
      NodeObjects node,
      Supplier<List<Permission>> missingPermissions,
      BooleanSupplier owner,
      NodeWork work,
      Clock clock) {
    this(
        node,
        missingPermissions,
        owner,
        Optional::empty,
        work,
        clock,
        new OutageLog(
            LOG, "API server of node " + node.nodeName(), OutageLog.SUMMARY_EVERY, clock));
  }

  /**
   * @param passive why the engine stays passive (another holds the ownership Lease), if it does:
   *     shown as the last API error while there is no failure to show
   * @param apiServer the outage log of the cluster's API server, told of every heartbeat's outcome
   */
  public NodeHealth(
      NodeObjects node,
      Supplier<List<Permission>> missingPermissions,
      BooleanSupplier owner,
      Supplier<Optional<OwnershipLease.Passive>> passive,
      NodeWork work,
      Clock clock,
      OutageLog apiServer) {
    this.passive = passive;
    this.apiServer = apiServer;
    this.node = node;
    this.permissions = new PermissionCheck(node, missingPermissions, owner, work, clock);
    this.owner = owner;
    this.work = work;
    this.clock = clock;
  }

  /**
   * Beats every {@link NodeController#RENEW_EVERY_SECONDS} seconds and re-checks the permissions
   * every {@link PermissionCheck#RECHECK}, on the node's lane.
   */
  public void start() {
    work.scheduleEvery(this::heartbeat, Duration.ofSeconds(NodeController.RENEW_EVERY_SECONDS));
    work.scheduleEvery(permissions::checkIfOwner, PermissionCheck.RECHECK);
  }

  /**
   * A new owner's take-over: registers the node; false when the API server refused or did not
   * answer, kept as the last API error. The permission check is queued first, so a registration
   * that failed for lack of permission is retried after it.
   */
  public boolean takeOver() {
    permissions.afterTakeOver();
    try {
      node.register();
      // register() reports the node Ready: what the engine says must say the same, or a term
      // after an ECI failure would show the node not ready while it is Ready until ECI failed
      // again. The next status poll sets both to what ECI answers.
      eciHealthy = true;
      node.renewLease();
      return true;
    } catch (RuntimeException e) {
      apiFailed("virtual node not registered: " + e.getMessage());
      LOG.warn("virtual node {} not registered; retrying: {}", node.nodeName(), e.toString());
      return false;
    }
  }

  /**
   * While it owns the cluster, renews the node's Lease; while it does not, checks that the API
   * server answers at all. Either way a failure is kept as the last API error, so a host can tell
   * "another engine owns this cluster" from "its API server cannot be reached".
   */
  void heartbeat() {
    try {
      if (owner.getAsBoolean()) {
        node.renewLease();
      } else {
        node.ping();
      }
      lastApiError = null;
      lastApiErrorAt = null;
      apiServer.succeeded();
    } catch (RuntimeException e) {
      apiFailed("API server " + node.apiServer() + " not reachable: " + e.getMessage());
      apiServer.failed(e);
    }
  }

  /**
   * A status poll of ECI succeeded (empty) or failed: unreachable ECI or refused credentials make
   * an owner's node NotReady with the reason, and the next success makes it Ready again. A failure
   * of one pod's own (no stock, a bad request) is kept as the last error only.
   */
  public void eci(Optional<EciException> failure) {
    if (!owner.getAsBoolean()) {
      return;
    }
    if (failure.isEmpty()) {
      if (!eciHealthy) {
        eciHealthy = true;
        node.report(true, "VirtualNodeReady", "ECI answers again");
      }
      return;
    }
    EciException e = failure.get();
    lastError = e.getMessage();
    lastErrorAt = clock.instant();
    String reason =
        switch (e.kind()) {
          case AUTHENTICATION -> "EciCredentialsRejected";
          case TRANSIENT -> "EciUnreachable";
          default -> null;
        };
    if (reason != null && eciHealthy) {
      eciHealthy = false;
      node.report(false, reason, e.getMessage());
    }
  }

  /** The API server refused one of the engine's writes for lack of permission (403). */
  public void permissionDenied() {
    permissions.denied();
  }

  /**
   * An owner that stops for good leaves the node NotReady with {@code reason} and {@code message};
   * a report the API server refuses is logged.
   */
  public void reportStopped(String reason, String message) {
    try {
      node.report(false, reason, message);
    } catch (RuntimeException e) {
      LOG.warn(
          "node {} could not be marked NotReady ({}): {}", node.nodeName(), reason, e.toString());
    }
  }

  /** Whether ECI answered the last time it was asked. */
  public boolean eciHealthy() {
    return eciHealthy;
  }

  /** The last ECI failure, if any. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** When {@link #lastError()} happened. */
  public Optional<Instant> lastErrorAt() {
    return Optional.ofNullable(lastErrorAt);
  }

  /**
   * The last failure to reach the API server, cleared once it answers again; else why the engine
   * stays passive (another engine holds the ownership Lease); else what the cluster's RBAC refuses,
   * if anything.
   */
  public Optional<String> lastApiError() {
    return Optional.ofNullable(lastApiError)
        .or(() -> passive.get().map(OwnershipLease.Passive::reason))
        .or(permissions::problem);
  }

  /** When {@link #lastApiError()} began. */
  public Optional<Instant> lastApiErrorAt() {
    if (lastApiError != null) {
      return Optional.ofNullable(lastApiErrorAt);
    }
    return passive.get().map(OwnershipLease.Passive::since).or(permissions::since);
  }

  private void apiFailed(String problem) {
    lastApiError = problem;
    lastApiErrorAt = clock.instant();
  }
}
