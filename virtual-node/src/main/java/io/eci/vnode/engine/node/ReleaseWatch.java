package io.eci.vnode.engine.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While another engine holds the ownership Lease, its release (a handoff: the other side stopped)
 * is seen at once, so the waiting engine competes then rather than after its retry period, which
 * would otherwise be most of a handoff's time. Best effort: without the watch the next retry takes
 * the Lease.
 */
final class ReleaseWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ReleaseWatch.class);

  private final OwnershipLease.Election election;
  private final String nodeName;
  private AutoCloseable watch;

  ReleaseWatch(OwnershipLease.Election election, String nodeName) {
    this.election = election;
    this.nodeName = nodeName;
  }

  /** Calls {@code released} once the Lease is given up; a watch already running is kept. */
  synchronized void start(Runnable released) {
    if (watch != null) {
      return;
    }
    try {
      watch = election.onRelease(released);
    } catch (RuntimeException e) {
      LOG.debug("cannot watch the ownership Lease of {}; its next retry takes it", nodeName, e);
    }
  }

  /** Stops watching, if it does. */
  synchronized void stop() {
    if (watch == null) {
      return;
    }
    try {
      watch.close();
    } catch (Exception e) {
      LOG.debug("closing the watch of the ownership Lease of {}", nodeName, e);
    }
    watch = null;
  }
}
