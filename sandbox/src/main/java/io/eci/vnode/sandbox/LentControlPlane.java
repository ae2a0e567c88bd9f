package io.eci.vnode.sandbox;

import io.eci.vnode.sandbox.controlplane.SharedControlPlane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JVM's shared control plane as one test's {@link Cluster}; closing it deletes what the test
 * made and leaves the control plane running for the next one.
 */
record LentControlPlane(SharedControlPlane.Lease lease) implements Cluster {

  @Override
  public String url() {
    return lease.plane().url();
  }

  @Override
  public HttpClient httpClient() {
    return lease.plane().httpClient();
  }

  @Override
  public Optional<String> authorization() {
    return lease.plane().authorization();
  }

  @Override
  public KubernetesClient client() {
    return lease.plane().client();
  }

  @Override
  public KubernetesClient newClient() {
    return lease.plane().newClient();
  }

  @Override
  public Path writeKubeconfig(Path file) {
    return lease.plane().writeKubeconfig(file);
  }

  @Override
  public String describe() {
    return lease.plane().describe() + " (shared, reset after each test)";
  }

  @Override
  public void close() {
    lease.close();
  }
}
