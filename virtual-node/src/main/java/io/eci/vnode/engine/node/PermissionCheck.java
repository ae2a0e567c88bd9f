package io.eci.vnode.engine.node;

import io.eci.vnode.engine.node.Permissions.Permission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cluster's RBAC refuses the engine, and when an owner asks: at take-over, every {@link
 * #RECHECK} (RBAC rarely changes), a second after a refused write, and every {@link
 * #RECHECK_WHILE_MISSING} while something is missing. A change is logged and told by an Event on
 * the node. The engine keeps running either way: what lacks a permission fails and is retried,
 * everything else goes on (no crash loop, no NotReady that would get pods evicted).
 */
public final class PermissionCheck {

  private static final Logger LOG = LoggerFactory.getLogger(PermissionCheck.class);

  /** How often an owner asks again what it may do (a review per permission). */
  public static final Duration RECHECK = Duration.ofMinutes(10);

  /** How often an owner that lacks a permission asks again whether it has been granted. */
  static final Duration RECHECK_WHILE_MISSING = Duration.ofSeconds(15);

  /** A refused write asks this long after it, so a burst of refusals costs one round of reviews. */
  static final Duration AFTER_A_REFUSAL = Duration.ofSeconds(1);

  /** A refused write within this of the last check asks nothing: that answer is fresh. */
  static final Duration JUST_ASKED = Duration.ofSeconds(10);

  /** A take-over asks unless a check is younger than this (a hand-over back and forth). */
  static final Duration ASKED_RECENTLY = Duration.ofMinutes(1);

  private final NodeObjects node;
  private final Supplier<List<Permission>> missingPermissions;
  private final BooleanSupplier owner;
  private final NodeWork work;
  private final Clock clock;
  private final AtomicBoolean due = new AtomicBoolean();
  private volatile List<Permission> missing = List.of();
  private volatile Instant missingSince;
  private volatile Instant checkedAt;

  /**
   * @param node where the Events go
   * @param missingPermissions asks the API server which required permissions the engine lacks;
   *     throws when it cannot be asked
   * @param owner whether the engine acts for the cluster now
   * @param work the node's lane, where checks run
   */
  public PermissionCheck(
      NodeObjects node,
      Supplier<List<Permission>> missingPermissions,
      BooleanSupplier owner,
      NodeWork work,
      Clock clock) {
    this.node = node;
    this.missingPermissions = missingPermissions;
    this.owner = owner;
    this.work = work;
    this.clock = clock;
  }

  /**
   * A new owner asks what it may do, queued on the node's lane (after the take-over, so the reviews
   * never delay the node's registration), unless it asked within the last minute.
   */
  public void afterTakeOver() {
    Instant checked = checkedAt;
    if (checked != null && checked.isAfter(clock.instant().minus(ASKED_RECENTLY))) {
      return;
    }
    try {
      work.execute(this::check);
    } catch (RejectedExecutionException e) {
      LOG.debug("virtual node {} closed before it checked its permissions", node.nodeName());
    }
  }

  /**
   * A write was refused for lack of permission: ask which permissions are missing, soon. Not when
   * something is known to be missing already (the re-check while missing is running) or was just
   * asked: a status write refused every poll must not cost a round of reviews every poll.
   */
  public void denied() {
    Instant checked = checkedAt;
    boolean justAsked = checked != null && checked.isAfter(clock.instant().minus(JUST_ASKED));
    if (missing.isEmpty() && !justAsked) {
      checkIn(AFTER_A_REFUSAL);
    }
  }

  /** Asks what the engine may do, if it is the owner (the periodic re-check). */
  public void checkIfOwner() {
    if (owner.getAsBoolean()) {
      check();
    }
  }

  /** What the cluster's RBAC refuses the engine, as a sentence; empty when it refuses nothing. */
  public Optional<String> problem() {
    List<Permission> refused = missing;
    if (refused.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "The cluster's RBAC does not let the virtual node "
            + refused.stream().map(Object::toString).collect(Collectors.joining(", "))
            + "; grant them (deploy/cluster/eci-virtual-node.yaml lists every permission). Until"
            + " then what needs them fails and is retried.");
  }

  /** Since when {@link #problem()} holds. */
  public Optional<Instant> since() {
    return Optional.ofNullable(missingSince);
  }

  /** Schedules one check, unless one is already due. */
  private void checkIn(Duration delay) {
    if (due.compareAndSet(false, true)) {
      try {
        work.schedule(
            () -> {
              due.set(false);
              checkIfOwner();
            },
            delay);
      } catch (RejectedExecutionException e) {
        due.set(false); // closed meanwhile
      }
    }
  }

  private void check() {
    List<Permission> now;
    try {
      now = missingPermissions.get();
      checkedAt = clock.instant();
    } catch (RuntimeException e) {
      LOG.debug("permissions of {} not checked: {}", node.nodeName(), e.toString());
      return;
    }
    if (!now.isEmpty()) {
      // while something is missing, look again often: a grant shows within this
      checkIn(RECHECK_WHILE_MISSING);
    }
    if (now.equals(missing)) {
      return;
    }
    missing = now;
    missingSince = now.isEmpty() ? null : clock.instant();
    if (now.isEmpty()) {
      LOG.info("virtual node {} has every permission it needs again", node.nodeName());
      node.event("Normal", "PermissionsGranted", "The virtual node has every permission it needs");
    } else {
      String problem = problem().orElseThrow();
      LOG.warn("virtual node {}: {}", node.nodeName(), problem);
      node.event("Warning", "MissingPermissions", problem);
    }
  }
}
