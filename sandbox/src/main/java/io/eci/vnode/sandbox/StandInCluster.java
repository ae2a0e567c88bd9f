package io.eci.vnode.sandbox;

import io.eci.vnode.sandbox.kube.KubeSandbox;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;

/** The Kubernetes stand-in as a test's {@link Cluster}; closing it stops the stand-in. */
record StandInCluster(KubeSandbox sandbox) implements Cluster {

  @Override
  public String url() {
    return sandbox.url();
  }

  @Override
  public HttpClient httpClient() {
    return sandbox.httpClient();
  }

  @Override
  public Optional<String> authorization() {
    return sandbox.authorization();
  }

  @Override
  public KubernetesClient client() {
    return sandbox.client();
  }

  @Override
  public KubernetesClient newClient() {
    return sandbox.newClient();
  }

  @Override
  public Path writeKubeconfig(Path file) {
    return sandbox.writeKubeconfig(file);
  }

  @Override
  public String describe() {
    return sandbox.describe();
  }

  @Override
  public void close() {
    sandbox.close();
  }
}
