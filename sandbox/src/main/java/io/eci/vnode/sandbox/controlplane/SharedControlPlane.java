package io.eci.vnode.sandbox.controlplane;

import io.eci.vnode.sandbox.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One real control plane for every test of a JVM, handed to one test at a time as if it were new:
 * closing a test's {@link Cluster} deletes everything the test made (see {@link Baseline}) instead
 * of stopping the control plane, which a shutdown hook stops at the end. A start costs about ten
 * seconds; a reset about one.
 */
public final class SharedControlPlane {

  private static final Logger LOG = Logger.getLogger(SharedControlPlane.class.getName());

  private static ControlPlane plane;
  private static Baseline baseline;
  private static RuntimeException failedStart;

  private SharedControlPlane() {}

  /**
   * The shared control plane for one test, started on first use with these settings (later calls
   * get the same one); closing it resets it.
   *
   * @param test who gets it, for the log
   */
  public static synchronized Cluster forOneTest(ControlPlane.Builder settings, String test) {
    if (plane == null) {
      plane = settings.start();
      baseline = Baseline.of(plane.adminClient());
      ControlPlane started = plane;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-control-plane-stop"));
      LOG.info(() -> "one control plane serves this JVM's tests: " + started.url());
    }
    LOG.fine(() -> "the shared control plane goes to " + test);
    return new Lent(plane);
  }

  private static synchronized void reset() {
    baseline.restore();
  }

  /** The shared control plane as one test sees it; closing it resets the control plane. */
  private record Lent(ControlPlane plane) implements Cluster {
    @Override
    public String url() {
      return plane.url();
    }

    @Override
    public HttpClient httpClient() {
      return plane.httpClient();
    }

    @Override
    public Optional<String> authorization() {
      return plane.authorization();
    }

    @Override
    public KubernetesClient client() {
      return plane.client();
    }

    @Override
    public KubernetesClient newClient() {
      return plane.newClient();
    }

    @Override
    public Path writeKubeconfig(Path file) {
      return plane.writeKubeconfig(file);
    }

    @Override
    public String describe() {
      return plane.describe() + " (shared, reset after each test)";
    }

    @Override
    public void close() {
      reset();
    }
  }
}
