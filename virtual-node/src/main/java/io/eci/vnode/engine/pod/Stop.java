package io.eci.vnode.engine.pod;

import java.time.Instant;

/**
 * A pod's deletion as the engine follows it. Replaced, never changed.
 *
 * @param instanceId the instance asked to stop; null when a read by the pod's uid tag found none
 * @param requestedBefore the number of the first poll that began after the stop was requested
 * @param misses polls in a row, from that one on, that did not find the instance
 * @param instanceGone the instance has stopped
 * @param podRemoved the engine removed the pod (finalizers may keep it a while)
 * @param graceEnds when the pod stops waiting for its instance
 */
record Stop(
    String instanceId,
    long requestedBefore,
    int misses,
    boolean instanceGone,
    boolean podRemoved,
    Instant graceEnds) {

  /** A stop just requested, before the poll numbered {@code nextPoll} began. */
  static Stop requested(String instanceId, long nextPoll, Instant graceEnds) {
    return new Stop(instanceId, nextPoll, 0, false, false, graceEnds);
  }

  /**
   * A read by the pod's uid tag found no instance for it: nothing to stop, the pod may go (and only
   * then, for a pod whose instance the engine did not know: a restart before its first status
   * write).
   */
  static Stop noInstance(Instant now) {
    return new Stop(null, 0, 0, true, false, now);
  }

  /** This stop after a poll that did or did not find the instance. */
  Stop seen(boolean present) {
    int missed = present ? 0 : misses + 1;
    return new Stop(
        instanceId,
        requestedBefore,
        missed,
        missed >= KnownPods.POLLS_BEFORE_GONE,
        podRemoved,
        graceEnds);
  }

  Stop removed() {
    return new Stop(instanceId, requestedBefore, misses, instanceGone, true, graceEnds);
  }

  boolean graceOver(Instant now) {
    return !now.isBefore(graceEnds);
  }

  /** This stop waiting only until {@code sooner}. */
  Stop until(Instant sooner) {
    return new Stop(instanceId, requestedBefore, misses, instanceGone, podRemoved, sooner);
  }
}
