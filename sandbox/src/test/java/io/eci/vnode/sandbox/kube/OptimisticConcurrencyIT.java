package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSpecBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OptimisticConcurrencyIT {

  private Cluster kube;
  private KubernetesClient client;
  private RawHttp http;
  private Pod created;

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    client = kube.client();
    http = new RawHttp(kube);
    created =
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
  void statusUpdateWithStaleResourceVersionIsAConflict() {
    Pod running = withPhase(created, "Running");
    client.pods().inNamespace("default").resource(running).updateStatus();

    Pod stale = withPhase(created, "Failed"); // still carries the first resourceVersion
    assertThatThrownBy(() -> client.pods().inNamespace("default").resource(stale).updateStatus())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
              assertThat(e.getStatus().getKind()).isEqualTo("Status");
            });
    assertThat(phase()).isEqualTo("Running");
  }

  @Test
  void staleMainUpdateIsAConflictOnTheWire() {
    client.pods().inNamespace("default").withName("web").edit(p -> labelled(p, "v", "2"));

    RawHttp.Reply reply =
        http.send(
            "PUT",
            "/api/v1/namespaces/default/pods/web",
            "application/json",
            Serialization.asJson(labelled(created, "v", "stale")));

    assertThat(reply.code()).isEqualTo(409);
    assertThat(reply.body().path("kind").asText()).isEqualTo("Status");
    assertThat(reply.body().path("reason").asText()).isEqualTo("Conflict");
    assertThat(reply.body().path("message").asText())
        .isEqualTo(
            "Operation cannot be fulfilled on pods \"web\": the object has been modified; please apply"
                + " your changes to the latest version and try again");
  }

  @Test
  void mainUpdateDoesNotOverwriteStatus() {
    client.pods().inNamespace("default").resource(withPhase(created, "Running")).updateStatus();
    Pod current = client.pods().inNamespace("default").withName("web").get();
    Pod relabelled = labelled(withPhase(current, "Failed"), "team", "a");

    Pod updated = client.pods().inNamespace("default").resource(relabelled).update();

    assertThat(updated.getMetadata().getLabels()).containsEntry("team", "a");
    assertThat(updated.getStatus().getPhase()).isEqualTo("Running");
    assertThat(phase()).isEqualTo("Running");
  }

  @Test
  void podStatusUpdateChangesStatusLabelsAndAnnotationsButNotTheSpec() {
    Pod both = labelled(withPhase(created, "Running"), "agent", "yes");
    both.getMetadata().setAnnotations(Map.of("agent/instance", "eci-1"));
    both.getSpec().setNodeName("elsewhere");

    Pod updated = client.pods().inNamespace("default").resource(both).updateStatus();

    assertThat(updated.getStatus().getPhase()).isEqualTo("Running");
    assertThat(updated.getMetadata().getLabels()).containsEntry("agent", "yes");
    assertThat(updated.getMetadata().getAnnotations()).containsEntry("agent/instance", "eci-1");
    assertThat(updated.getSpec().getNodeName()).isNull();
  }

  @Test
  void aStatusUpdateKeepsTheSpecAndTakesTheMetadataThatTheTypesStrategyAllows() {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build())
        .create();
    Node updated =
        onFreshCopy(
            () -> client.nodes().withName("n1").get(),
            node -> {
              node.getMetadata().setLabels(Map.of("written-with-status", "yes"));
              node.setSpec(new NodeSpecBuilder().withUnschedulable(true).build());
              node.setStatus(
                  new NodeStatusBuilder()
                      .addNewCondition()
                      .withType("Ready")
                      .withStatus("True")
                      .endCondition()
                      .build());
              return client.nodes().resource(node).updateStatus();
            });

    assertThat(updated.getStatus().getConditions()).extracting("type").containsExactly("Ready");
    assertThat(updated.getMetadata().getLabels()).containsEntry("written-with-status", "yes");
    assertThat(updated.getSpec() == null ? null : updated.getSpec().getUnschedulable()).isNull();

    client
        .apps()
        .deployments()
        .inNamespace("default")
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("d1")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "d1")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "d1")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    var written =
        onFreshCopy(
            () -> client.apps().deployments().inNamespace("default").withName("d1").get(),
            deployment -> {
              deployment.getMetadata().setLabels(Map.of("written-with-status", "yes"));
              return client
                  .apps()
                  .deployments()
                  .inNamespace("default")
                  .resource(deployment)
                  .updateStatus();
            });
    // the apps types' status strategy keeps their labels
    assertThat(written.getMetadata().getLabels()).doesNotContainKey("written-with-status");
  }

  /**
   * Writes a change to a fresh copy, again on a conflict, as a client of an object that others
   * write too must (a real cluster's controllers change new nodes and Deployments at once).
   */
  private static <T> T onFreshCopy(Supplier<T> read, Function<T, T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.apply(read.get());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  @Test
  void everyWriteIncreasesTheResourceVersionAndWatchEventsCarryIt() {
    List<String> versions = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client
            .pods()
            .inNamespace("default")
            .withName("web")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    versions.add(action + "@" + pod.getMetadata().getResourceVersion());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      await().atMost(Duration.ofSeconds(10)).until(() -> versions.size() == 1);
      long first = version(created);
      Pod labelled =
          client.pods().inNamespace("default").withName("web").edit(p -> labelled(p, "a", "1"));
      Pod running =
          client
              .pods()
              .inNamespace("default")
              .resource(withPhase(labelled, "Running"))
              .updateStatus();
      client.pods().inNamespace("default").withName("web").delete();

      assertThat(version(labelled)).isGreaterThan(first);
      assertThat(version(running)).isGreaterThan(version(labelled));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(versions)
                      .startsWith(
                          "ADDED@" + first,
                          "MODIFIED@" + version(labelled),
                          "MODIFIED@" + version(running))
                      // the delete marks the pod (deletionTimestamp), then removes it
                      .hasSize(5));
      String marked = versions.get(3);
      String deleted = versions.get(4);
      assertThat(marked).startsWith("MODIFIED@");
      assertThat(deleted).startsWith("DELETED@");
      assertThat(Long.parseLong(marked.substring("MODIFIED@".length())))
          .isGreaterThan(version(running));
      assertThat(Long.parseLong(deleted.substring("DELETED@".length())))
          .isGreaterThan(Long.parseLong(marked.substring("MODIFIED@".length())));
    }
  }

  @Test
  void noOpUpdateKeepsTheResourceVersion() {
    Pod again = client.pods().inNamespace("default").resource(created).update();

    assertThat(again.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
  }

  @Test
  void updateWithoutResourceVersionIsUnconditional() {
    ConfigMap map =
        client
            .configMaps()
            .inNamespace("default")
            .resource(new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build())
            .create();
    map.getMetadata().setResourceVersion(null);
    map.setData(Map.of("k", "v"));

    ConfigMap updated = client.configMaps().inNamespace("default").resource(map).update();

    assertThat(updated.getData()).containsEntry("k", "v");
  }

  @Test
  void createOfAnExistingNameIsAlreadyExists() {
    assertThatThrownBy(
            () ->
                client
                    .pods()
                    .inNamespace("default")
                    .resource(TestPods.labelled("default", "web"))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
            });
  }

  private String phase() {
    return client.pods().inNamespace("default").withName("web").get().getStatus().getPhase();
  }

  private static long version(Pod pod) {
    return Long.parseLong(pod.getMetadata().getResourceVersion());
  }

  private static Pod withPhase(Pod pod, String phase) {
    Pod copy = new PodBuilder(pod).build();
    copy.getStatus().setPhase(phase);
    return copy;
  }

  private static Pod labelled(Pod pod, String key, String value) {
    Pod copy = new PodBuilder(pod).build();
    copy.getMetadata().getLabels().put(key, value);
    return copy;
  }
}
