package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.eci.vnode.sandbox.eci.Faults;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What goes wrong around the engine, and how it comes out: nothing orphaned, nothing duplicated.
 */
class ResilienceScenarioTest {

  private static final Duration DEADLINE = Duration.ofSeconds(40);

  private Cluster cluster;
  private KubernetesClient client;
  private EciSandbox eci;

  @BeforeEach
  void start() {
    cluster = Cluster.forTests(getClass().getSimpleName());
    client = cluster.client();
    eci = Engines.eci();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
        .create();
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (eci != null) {
      eci.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aPodInALabelledNamespaceRunsOnEci() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("batch")
                .addToLabels("alibabacloud.com/eci", "true")
                .endMetadata()
                .build())
        .create();
    try (VirtualNode node = Engines.engine(client, eci, "engine-a", List.of("vsw-b")).start()) {
      client
          .pods()
          .inNamespace("batch")
          .resource(
              new PodBuilder(TestPods.labelled("job"))
                  .editMetadata()
                  .withLabels(java.util.Map.of())
                  .endMetadata()
                  .build())
          .create();
      await().atMost(DEADLINE).until(() -> "Running".equals(phase("batch", "job")));
    }
  }

  @Test
  void aStockOutInTheFirstZoneLandsThePodInTheNext() {
    eci.faults().stockOut("cn-hangzhou-a", Faults.StockOut.REJECT);
    try (VirtualNode node =
        Engines.engine(client, eci, "engine-a", List.of("vsw-a", "vsw-b")).start()) {
      client.pods().inNamespace("shop").resource(TestPods.labelled("web")).create();
      await().atMost(DEADLINE).until(() -> "Running".equals(phase("shop", "web")));
      assertThat(client.pods().inNamespace("shop").withName("web").get().getStatus().getPodIP())
          .startsWith("10.2.");
    }
  }

  @Test
  void anInstanceThatFindsNoStockLateIsReplacedInTheNextZone() {
    eci.faults().stockOut("cn-hangzhou-a", Faults.StockOut.SCHEDULE_FAILED);
    try (VirtualNode node =
        Engines.engine(client, eci, "engine-a", List.of("vsw-a", "vsw-b")).start()) {
      client.pods().inNamespace("shop").resource(TestPods.labelled("late")).create();
      await().atMost(DEADLINE).until(() -> "Running".equals(phase("shop", "late")));
      Pod pod = client.pods().inNamespace("shop").withName("late").get();
      assertThat(pod.getStatus().getPodIP()).startsWith("10.2.");
      assertThat(pod.getMetadata().getAnnotations())
          .containsEntry("eci-vnode.io/zone", "cn-hangzhou-b")
          .containsEntry("eci-vnode.io/excluded-vswitches", "vsw-a");
      await().atMost(DEADLINE).until(() -> eci.instanceCount() == 1);
    }
  }

  @Test
  void underThrottlingEveryPodEventuallyRuns() {
    eci.faults().throttleAbove(4);
    try (VirtualNode node = Engines.engine(client, eci, "engine-a", List.of("vsw-b")).start()) {
      IntStream.range(0, 12)
          .forEach(
              i ->
                  client
                      .pods()
                      .inNamespace("shop")
                      .resource(TestPods.labelled("web-" + i))
                      .create());
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  IntStream.range(0, 12)
                      .allMatch(i -> "Running".equals(phase("shop", "web-" + i))));
    }
    assertThat(eci.counters().errors("Throttling.User")).isPositive();
    assertThat(eci.instanceCount()).isEqualTo(12);
  }

  @Test
  void anEngineRestartedMidBurstLeavesNoDuplicateAndNoOrphan() {
    VirtualNode first =
        Engines.engine(cluster.newClient(), eci, "engine-a", List.of("vsw-b")).start();
    IntStream.range(0, 15)
        .forEach(
            i ->
                client
                    .pods()
                    .inNamespace("shop")
                    .resource(TestPods.labelled("burst-" + i))
                    .create());
    await().atMost(DEADLINE).until(() -> eci.instanceCount() >= 5);
    first.close();

    try (VirtualNode second =
        Engines.engine(cluster.newClient(), eci, "engine-b", List.of("vsw-b")).start()) {
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  IntStream.range(0, 15)
                      .allMatch(i -> "Running".equals(phase("shop", "burst-" + i))));
      Set<String> podUids = new HashSet<>();
      client
          .pods()
          .inNamespace("shop")
          .list()
          .getItems()
          .forEach(p -> podUids.add(p.getMetadata().getUid()));
      var instances = sdk().describeByTag(InstanceTags.CLUSTER, "cluster-scenario");
      assertThat(instances).hasSize(15);
      assertThat(instances)
          .allSatisfy(i -> assertThat(podUids).contains(i.tags().get(InstanceTags.POD_UID)));
    }
  }

  @Test
  void anInstanceWhosePodIsGoneIsDeletedAndOthersAreNeverTouched() {
    EciSdkInstances sdk = sdk();
    var orphan = TestPods.labelled("ghost");
    // An instance tagged as this cluster's, for a pod that no longer exists.
    var request =
        io.eci.vnode.engine.translate.PodTranslator.translate(
            new PodBuilder(orphan)
                .editMetadata()
                .withNamespace("shop")
                .withUid("uid-ghost")
                .endMetadata()
                .build(),
            new io.eci.vnode.engine.translate.References() {
              public Optional<io.fabric8.kubernetes.api.model.ConfigMap> configMap(
                  String n, String m) {
                return Optional.empty();
              }

              public Optional<io.fabric8.kubernetes.api.model.Secret> secret(String n, String m) {
                return Optional.empty();
              }

              public List<io.fabric8.kubernetes.api.model.Service> services(String n) {
                return List.of();
              }
            },
            new io.eci.vnode.engine.translate.TranslationContext(
                Engines.config(List.of("vsw-b")), Engines.IDENTITY.nodeName(), Optional.empty()));
    String ghost = sdk.create(request.create());
    // An instance of another cluster in the same account and region.
    var foreign = request.create().request();
    foreign.setTags(List.of(tag(InstanceTags.CLUSTER, "someone-else")));
    String theirs = sdk.create(new CreateInstance(foreign, "uid-foreign"));

    try (VirtualNode node = Engines.engine(client, eci, "engine-a", List.of("vsw-b")).start()) {
      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () -> {
                eci.clock().advance(Duration.ofSeconds(5));
                assertThat(sdk.describeByIds(List.of(ghost, theirs)))
                    .extracting(i -> i.id())
                    .containsExactly(theirs);
              });
    }
  }

  private static com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.Tag tag(
      String k, String v) {
    var t = new com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.Tag();
    t.setKey(k);
    t.setValue(v);
    return t;
  }

  private EciSdkInstances sdk() {
    return new EciSdkInstances(
        new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou", Engines.KEY, Engines.SECRET)),
        "cn-hangzhou",
        Optional.of(eci.endpoint()));
  }

  private String phase(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    return pod == null || pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? ""
        : pod.getStatus().getPhase();
  }
}
