package io.eci.vnode.agent.settings;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The agent's one client of its cluster's API server: from {@code agent.kubeconfig} when set, else
 * fabric8's auto-configuration, which in a pod is the ServiceAccount's token and CA.
 */
public class ClusterClient {

  @Produces
  @Singleton
  KubernetesClient client(AgentConfig config) {
    Config kube =
        config
            .kubeconfig()
            .map(
                file -> {
                  try {
                    return Config.fromKubeconfig(Files.readString(file));
                  } catch (IOException e) {
                    throw new UncheckedIOException(
                        "agent.kubeconfig " + file + " cannot be read", e);
                  }
                })
            .orElseGet(() -> Config.autoConfigure(null));
    // An API server that stops answering must fail the agent's calls fast, as the service's do.
    kube.setConnectionTimeout(5_000);
    kube.setRequestTimeout(10_000);
    kube.setRequestRetryBackoffLimit(1);
    // Watches as HTTP streams, as client-go makes them: nothing for a proxy to refuse to upgrade.
    kube.setOnlyHttpWatches(true);
    return new KubernetesClientBuilder().withConfig(kube).build();
  }

  void close(@Disposes KubernetesClient client) {
    client.close();
  }
}
