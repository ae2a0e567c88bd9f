package io.eci.vnode.sandbox.controlplane;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real control plane for every test of a JVM, lent to one test at a time as if it were new:
 * closing a test's {@link Lease} deletes everything the test made (see {@link Baseline}) instead of
 * stopping the control plane, which a shutdown hook stops at the end. A start costs about ten
 * seconds; a reset about one.
 */
public final class SharedControlPlane {

  private static final Logger LOG = LoggerFactory.getLogger(SharedControlPlane.class);

  private static ControlPlane plane;
  private static Baseline baseline;
  private static RuntimeException failedStart;

  private SharedControlPlane() {}

  /**
   * The shared control plane for one test, started on first use with these settings (later calls
   * get the same one); closing the lease resets it. A start that failed is not tried again by every
   * later test of the JVM: they fail at once with its cause.
   *
   * @param test who gets it, for the log
   */
  public static synchronized Lease forOneTest(ControlPlane.Builder settings, String test) {
    if (failedStart != null) {
      throw new IllegalStateException(
          "the shared control plane failed to start earlier in this JVM", failedStart);
    }
    if (plane == null) {
      try {
        plane = settings.start();
      } catch (RuntimeException e) {
        failedStart = e;
        throw e;
      }
      baseline = Baseline.of(plane.adminClient());
      ControlPlane started = plane;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-control-plane-stop"));
      LOG.info("one control plane serves this JVM's tests: {}", started.url());
    }
    LOG.debug("the shared control plane goes to {}", test);
    return new Lease(plane);
  }

  private static synchronized void reset() {
    baseline.restore();
  }

  /**
   * The shared control plane as one test holds it: use {@link #plane()}, never close it; close the
   * lease, which deletes what the test made.
   */
  public record Lease(ControlPlane plane) implements AutoCloseable {

    /** Deletes everything made since the control plane started; it stays up for the next test. */
    @Override
    public void close() {
      reset();
    }
  }
}
