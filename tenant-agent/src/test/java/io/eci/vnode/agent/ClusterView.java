package io.eci.vnode.agent;

import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.selection.Selection;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;

/** What the ITs do to and read from the stand-in cluster. */
final class ClusterView {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  private ClusterView() {}

  static KubernetesClient client() {
    return AgentWorld.kube.client();
  }

  /** Creates a pod labelled for ECI in {@code default}. */
  static Pod labelledPod(String name) {
    return client()
        .pods()
        .inNamespace("default")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(Selection.ECI_LABEL, "true")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  /** Awaits the pod's phase Running, within the deadline. */
  static void awaitRunning(String name) {
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                Optional.ofNullable(client().pods().inNamespace("default").withName(name).get())
                    .map(p -> p.getStatus() == null ? null : p.getStatus().getPhase())
                    .filter("Running"::equals)
                    .isPresent());
  }

  /** The ownership Lease's holder now; empty when there is none or it was released. */
  static Optional<String> ownershipHolder() {
    Lease lease =
        client()
            .leases()
            .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
            .withName(VirtualNode.OWNERSHIP_LEASE)
            .get();
    return Optional.ofNullable(lease)
        .map(Lease::getSpec)
        .map(s -> s.getHolderIdentity())
        .filter(h -> !h.isEmpty());
  }

  static void deletePod(String name) {
    client().pods().inNamespace("default").withName(name).withGracePeriod(0).delete();
  }
}
