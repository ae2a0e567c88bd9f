package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the product's virtual kubelet sees pod deletion: marked first, removed on its grace-0 delete.
 */
class GracefulDeletionIT {

  private Cluster kube;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    client = kube.client();
    client.pods().inNamespace("default").resource(TestPods.labelled("default", "web")).create();
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void boundPodIsMarkedTerminatingAndKeptUntilDeletedWithGraceZero() {
    bind("web");
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client.pods().inNamespace("default").withName("web").watch(recorder(events))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);

      client.pods().inNamespace("default").withName("web").delete();

      Pod terminating = client.pods().inNamespace("default").withName("web").get();
      assertThat(terminating).isNotNull();
      assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
      assertThat(Instant.parse(terminating.getMetadata().getDeletionTimestamp()))
          .isAfter(Instant.now().plusSeconds(20));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(events).containsExactly("ADDED true", "MODIFIED false"));

      client.pods().inNamespace("default").withName("web").withGracePeriod(0).delete();

      assertThat(client.pods().inNamespace("default").withName("web").get()).isNull();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(events)
                      // the grace-0 delete marks it once more before it goes, as a real server does
                      .containsExactly(
                          "ADDED true", "MODIFIED false", "MODIFIED false", "DELETED false"));
    }
  }

  @Test
  void laterDeleteMayShortenButNotExtendTheGracePeriod() {
    bind("web");
    client.pods().inNamespace("default").withName("web").withGracePeriod(10).delete();
    client.pods().inNamespace("default").withName("web").withGracePeriod(60).delete();
    assertThat(grace()).isEqualTo(10L);

    client.pods().inNamespace("default").withName("web").withGracePeriod(5).delete();
    assertThat(grace()).isEqualTo(5L);
  }

  @Test
  void unboundPodIsDeletedAtOnce() {
    client.pods().inNamespace("default").withName("web").delete();

    assertThat(client.pods().inNamespace("default").withName("web").get()).isNull();
  }

  @Test
  void finishedPodIsDeletedAtOnce() {
    bind("web");
    Pod pod = client.pods().inNamespace("default").withName("web").get();
    pod.getStatus().setPhase("Succeeded");
    client.pods().inNamespace("default").resource(pod).updateStatus();

    client.pods().inNamespace("default").withName("web").delete();

    assertThat(client.pods().inNamespace("default").withName("web").get()).isNull();
  }

  @Test
  void finalizersHoldAnObjectUntilTheyAreRemoved() {
    Pod pod =
        new PodBuilder(TestPods.labelled("default", "held"))
            .editMetadata()
            .addToFinalizers("example.com/hold")
            .endMetadata()
            .build();
    client.pods().inNamespace("default").resource(pod).create();

    client.pods().inNamespace("default").withName("held").delete();
    Pod marked = client.pods().inNamespace("default").withName("held").get();
    assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();

    client
        .pods()
        .inNamespace("default")
        .withName("held")
        .edit(
            p -> new PodBuilder(p).editMetadata().withFinalizers(List.of()).endMetadata().build());

    assertThat(client.pods().inNamespace("default").withName("held").get()).isNull();
  }

  @Test
  void terminatingPodCannotBeBound() {
    Pod pod =
        new PodBuilder(TestPods.labelled("default", "held"))
            .editMetadata()
            .addToFinalizers("example.com/hold")
            .endMetadata()
            .build();
    client.pods().inNamespace("default").resource(pod).create();
    client.pods().inNamespace("default").withName("held").delete();

    assertThatThrownBy(() -> bind("held"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void deletingANamespaceRemovesItsObjectsAndProtectedNamespacesStay() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("vk").endMetadata().build())
        .create();
    client.pods().inNamespace("vk").resource(TestPods.labelled("vk", "p")).create();

    client.namespaces().withName("vk").delete();

    // A real cluster's namespace controller empties it first, so the namespace goes a moment later.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(client.namespaces().withName("vk").get()).isNull());
    assertThat(client.pods().inNamespace("vk").list().getItems()).isEmpty();
    assertThatThrownBy(() -> client.namespaces().withName("kube-system").delete())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  private Long grace() {
    return client
        .pods()
        .inNamespace("default")
        .withName("web")
        .get()
        .getMetadata()
        .getDeletionGracePeriodSeconds();
  }

  private void bind(String pod) {
    client.bindings().inNamespace("default").resource(TestPods.binding(pod, "vk")).create();
  }

  /**
   * Records each event as "ACTION stillRunnable" where stillRunnable means no deletion is pending.
   */
  private static Watcher<Pod> recorder(List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        events.add(action + " " + (pod.getMetadata().getDeletionTimestamp() == null));
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
