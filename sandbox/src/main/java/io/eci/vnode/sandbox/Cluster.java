package io.eci.vnode.sandbox;

import io.eci.vnode.sandbox.controlplane.ControlPlane;
import io.eci.vnode.sandbox.controlplane.ControlPlaneBinaries;
import io.eci.vnode.sandbox.controlplane.ControlPlaneCondition;
import io.eci.vnode.sandbox.controlplane.SharedControlPlane;
import io.eci.vnode.sandbox.kube.KubeSandbox;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A Kubernetes API server to test against, with every permission: the stand-in, or a real one. The
 * same tests run on both, so what the stand-in shows is checked against the real thing.
 *
 * <p>The sandbox's top: this package uses {@code kube} and {@code controlplane}, never the other
 * way round ({@link StandInCluster} and {@link LentControlPlane} adapt them), so that no package
 * cycle runs through it.
 */
public interface Cluster extends AutoCloseable {

  /** The system property choosing {@link #forTests}: {@value #STAND_IN} or {@value #REAL}. */
  String PROPERTY = "vnode.test.cluster";

  String STAND_IN = "stand-in";
  String REAL = "control-plane";

  /**
   * The JUnit tag of a test of what only the stand-in does (what it has in place of a real part, or
   * a newer Kubernetes version's behaviour); the runs against a real API server leave it out.
   */
  String STAND_IN_ONLY = "stand-in-only";

  /** The API server's base URL, e.g. {@code http://127.0.0.1:<port>}. */
  String url();

  /** An HTTP/1.1 client for raw requests, trusting the API server's certificate. */
  HttpClient httpClient();

  /** The Authorization header of {@link #client()}'s credentials, for raw requests. */
  Optional<String> authorization();

  /** A shared client, closed by {@link #close()}. */
  KubernetesClient client();

  /** A new client; the caller closes it. */
  KubernetesClient newClient();

  /** Writes a kubeconfig for kubectl to {@code file}; returns it. */
  Path writeKubeconfig(Path file);

  /** What it is, for logs: {@code stand-in}, {@code kube-apiserver v1.20.2}. */
  String describe();

  /** Stops it. */
  @Override
  void close();

  /**
   * A new cluster for one test: the stand-in, or with {@code -Dvnode.test.cluster=control-plane} a
   * real API server and its controller-manager (namespaces are emptied and deleted, ServiceAccounts
   * made), but like the stand-in without a scheduler or kubelet and without ServiceAccount tokens
   * in pods: one for the whole JVM, its files under {@code target/control-plane/shared}, and what a
   * test made deleted when it closes its cluster ({@link SharedControlPlane}). Without the real
   * one's binaries the test is skipped with the install command as the reason, unless {@value
   * ControlPlaneCondition#REQUIRED_ENV} is set.
   *
   * @param name the test, for logs
   */
  static Cluster forTests(String name) {
    if (!REAL.equals(System.getProperty(PROPERTY, STAND_IN))) {
      return new StandInCluster(KubeSandbox.start());
    }
    ControlPlaneBinaries binaries = ControlPlaneBinaries.configured();
    if (!binaries.missing().isEmpty() && !ControlPlaneCondition.required()) {
      Assumptions.abort("END-TO-END TIER SKIPPED: " + binaries.missingMessage());
    }
    return new LentControlPlane(
        SharedControlPlane.forOneTest(
            ControlPlane.builder()
                .binaries(binaries)
                .scheduler(false)
                .serviceAccountTokens(false)
                .workDir(Path.of("target", "control-plane", "shared")),
            name));
  }
}
