package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FieldSelectorIT {

  private Cluster kube;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    client = kube.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build())
        .create();
    createPod("default", "bound-a");
    createPod("default", "bound-b");
    createPod("default", "pending");
    createPod("team", "elsewhere");
    bind("default", "bound-a", "vk");
    bind("default", "bound-b", "vk");
    bind("team", "elsewhere", "other-node");
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void nodeNameSelectorListsOnlyPodsBoundToThatNode() {
    assertThat(
            names(
                client.pods().inAnyNamespace().withField("spec.nodeName", "vk").list().getItems()))
        .containsExactly("bound-a", "bound-b");
  }

  @Test
  void emptyNodeNameSelectorListsUnscheduledPods() {
    assertThat(
            names(client.pods().inAnyNamespace().withField("spec.nodeName", "").list().getItems()))
        .containsExactly("pending");
  }

  @Test
  void nodeNameCombinesWithNameNamespacePhaseAndNegation() {
    assertThat(
            names(
                client
                    .pods()
                    .inAnyNamespace()
                    .withField("spec.nodeName", "vk")
                    .withField("metadata.name", "bound-b")
                    .list()
                    .getItems()))
        .containsExactly("bound-b");
    assertThat(
            names(
                client
                    .pods()
                    .inAnyNamespace()
                    .withoutField("spec.nodeName", "vk")
                    .withField("metadata.namespace", "default")
                    .list()
                    .getItems()))
        .containsExactly("pending");
    assertThat(
            names(
                client
                    .pods()
                    .inAnyNamespace()
                    .withField("spec.nodeName", "vk")
                    .withField("status.phase", "Pending")
                    .list()
                    .getItems()))
        .containsExactly("bound-a", "bound-b");
    assertThat(
            client
                .pods()
                .inAnyNamespace()
                .withField("spec.nodeName", "vk")
                .withoutField("status.phase", "Pending")
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void unsupportedFieldIsABadRequestAsOnARealServer() {
    RawHttp.Reply reply = new RawHttp(kube).get("/api/v1/pods?fieldSelector=spec.hostname%3Dx");

    assertThat(reply.code()).isEqualTo(400);
    assertThat(reply.body().path("message").asText())
        .contains("field label not supported: spec.hostname");
  }

  @Test
  void watchWithNodeNameSelectorSeesOnlyPodsBoundToThatNode() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client.pods().inAnyNamespace().withField("spec.nodeName", "vk").watch(recorder(events))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);

      bind("default", "pending", "vk");
      createPod("default", "late");
      bind("default", "late", "other-node");
      client.pods().inNamespace("default").withName("bound-a").edit(p -> label(p, "seen", "yes"));

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                // a watch's first events come in no promised order; what follows, in order
                assertThat(events).hasSize(4);
                assertThat(events.subList(0, 2))
                    .containsExactlyInAnyOrder("ADDED bound-a", "ADDED bound-b");
                assertThat(events.subList(2, 4))
                    .containsExactly("ADDED pending", "MODIFIED bound-a");
              });
    }
  }

  @Test
  void unscheduledPodsWatchReportsABindingAsDeletion() {
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client
            .pods()
            .inNamespace("default")
            .withField("spec.nodeName", "")
            .watch(recorder(events))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("ADDED pending"));

      bind("default", "pending", "vk");

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(events).containsExactly("ADDED pending", "DELETED pending"));
    }
  }

  @Test
  void informerWithNodeNameSelectorSeesBoundPodsAndPodsAsTheyGetBound() {
    SharedIndexInformer<Pod> informer =
        client.pods().inAnyNamespace().withField("spec.nodeName", "vk").inform();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(names(informer.getStore().list()))
                      .containsExactlyInAnyOrder("bound-a", "bound-b"));

      bind("default", "pending", "vk");

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(names(informer.getStore().list()))
                      .containsExactlyInAnyOrder("bound-a", "bound-b", "pending"));
      assertThat(informer.getStore().getByKey("team/elsewhere")).isNull();
    } finally {
      informer.close();
    }
  }

  private void createPod(String namespace, String name) {
    client.pods().inNamespace(namespace).resource(TestPods.labelled(namespace, name)).create();
  }

  private void bind(String namespace, String pod, String node) {
    client.bindings().inNamespace(namespace).resource(TestPods.binding(pod, node)).create();
  }

  private static Pod label(Pod pod, String key, String value) {
    pod.getMetadata().getLabels().put(key, value);
    return pod;
  }

  private static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).sorted().toList();
  }

  private static Watcher<Pod> recorder(List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        events.add(action + " " + pod.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
