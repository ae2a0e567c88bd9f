package io.eci.vnode.engine.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs an outage of something the engine calls (the cluster's API server) as an operator wants to
 * read it, however often the calls fail: one WARN with the cause when it starts failing, then at
 * most one summary line per {@code summaryEvery} while it lasts, and one INFO when it answers
 * again. Stack traces only at DEBUG. Thread-safe.
 */
public final class OutageLog {

  /** How often a lasting outage is summed up unless a host says otherwise. */
  public static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(OutageLog.class);

  private final Logger log;
  private final String what;
  private final Duration summaryEvery;
  private final Clock clock;
  private Instant since;
  private Instant lastLine;
  private long failures;
  private long failuresSinceLine;
  private String lastCause;

  /**
   * @param log where the lines go
   * @param what what fails, as the lines name it (e.g. "API server https://… of node …")
   */
  public OutageLog(Logger log, String what, Duration summaryEvery, Clock clock) {
    this.log = log;
    this.what = what;
    this.summaryEvery = summaryEvery;
    this.clock = clock;
  }

  /** The outage log of {@code what}, on the system clock, in this class's log category. */
  public static OutageLog of(String what, Duration summaryEvery) {
    return new OutageLog(LOG, what, summaryEvery, Clock.systemUTC());
  }

  /** A call failed with {@code cause}. */
  public void failed(Throwable cause) {
    failed(describe(cause));
    log.debug("{} failed", what, cause);
  }

  /** A call failed, for the reason {@code message} gives. */
  public void failed(String message) {
    Instant now = clock.instant();
    synchronized (this) {
      failures++;
      failuresSinceLine++;
      lastCause = message;
      if (since == null) {
        since = now;
        lastLine = now;
        failuresSinceLine = 0;
        log.warn("{} is failing: {}", what, message);
      } else if (!now.isBefore(lastLine.plus(summaryEvery))) {
        log.warn(
            "{} still failing since {} ({} failures, {} since the last report; last cause: {})",
            what,
            since,
            failures,
            failuresSinceLine,
            message);
        lastLine = now;
        failuresSinceLine = 0;
      }
    }
  }

  /** A call succeeded: an outage, if there was one, is over. */
  public void succeeded() {
    Instant now = clock.instant();
    synchronized (this) {
      if (since == null) {
        return;
      }
      log.info(
          "{} answers again after {} s ({} failures; last cause: {})",
          what,
          Duration.between(since, now).toSeconds(),
          failures,
          lastCause);
      since = null;
      failures = 0;
      failuresSinceLine = 0;
      lastCause = null;
    }
  }

  /** Whether calls are failing now. */
  public synchronized boolean failing() {
    return since != null;
  }

  /**
   * The exception's message, with its innermost cause's when that says more (refused, timed out).
   */
  public static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    if (root == cause) {
      return top;
    }
    return top + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
