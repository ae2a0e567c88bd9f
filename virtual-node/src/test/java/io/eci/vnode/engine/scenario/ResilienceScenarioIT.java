package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.Tag;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.translate.PodTranslator;
import io.eci.vnode.engine.translate.References;
import io.eci.vnode.engine.translate.TranslationContext;
import io.eci.vnode.sandbox.eci.Faults;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What goes wrong around the engine, and how it comes out: nothing orphaned, nothing duplicated.
 */
class ResilienceScenarioIT {

  @RegisterExtension final EngineFixture fixture = EngineFixture.create().namespace("shop");

  private static final Duration DEADLINE = Duration.ofSeconds(40);

  @Test
  void aPodInALabelledNamespaceRunsOnEci() {
    fixture
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("batch")
                .addToLabels("alibabacloud.com/eci", "true")
                .endMetadata()
                .build())
        .create();
    try (VirtualNode node =
        Engines.engine(fixture.client(), fixture.eci(), "engine-a", List.of("vsw-b")).start()) {
      fixture
          .client()
          .pods()
          .inNamespace("batch")
          .resource(
              new PodBuilder(TestPods.labelled("job"))
                  .editMetadata()
                  .withLabels(Map.of())
                  .endMetadata()
                  .build())
          .create();
      await().atMost(DEADLINE).until(() -> "Running".equals(phase("batch", "job")));
    }
  }

  @Test
  void aStockOutInTheFirstZoneLandsThePodInTheNext() {
    fixture.eci().faults().stockOut("cn-hangzhou-a", Faults.StockOut.REJECT);
    try (VirtualNode node =
        Engines.engine(fixture.client(), fixture.eci(), "engine-a", List.of("vsw-a", "vsw-b"))
            .start()) {
      fixture.client().pods().inNamespace("shop").resource(TestPods.labelled("web")).create();
      await().atMost(DEADLINE).until(() -> "Running".equals(phase("shop", "web")));
      assertThat(
              fixture
                  .client()
                  .pods()
                  .inNamespace("shop")
                  .withName("web")
                  .get()
                  .getStatus()
                  .getPodIP())
          .startsWith("10.2.");
    }
  }

  @Test
  void anInstanceThatFindsNoStockLateIsReplacedInTheNextZone() {
    fixture.eci().faults().stockOut("cn-hangzhou-a", Faults.StockOut.SCHEDULE_FAILED);
    try (VirtualNode node =
        Engines.engine(fixture.client(), fixture.eci(), "engine-a", List.of("vsw-a", "vsw-b"))
            .start()) {
      fixture.client().pods().inNamespace("shop").resource(TestPods.labelled("late")).create();
      await().atMost(DEADLINE).until(() -> "Running".equals(phase("shop", "late")));
      Pod pod = fixture.client().pods().inNamespace("shop").withName("late").get();
      assertThat(pod.getStatus().getPodIP()).startsWith("10.2.");
      assertThat(pod.getMetadata().getAnnotations())
          .containsEntry("eci-vnode.io/zone", "cn-hangzhou-b")
          .containsEntry("eci-vnode.io/excluded-vswitches", "vsw-a");
      await().atMost(DEADLINE).until(() -> fixture.eci().instanceCount() == 1);
    }
  }

  @Test
  void underThrottlingEveryPodEventuallyRuns() {
    // The status poll of the scenarios' 300 ms period takes three or four calls a second of this: a
    // burst of creates is throttled, and the engine's own per-pod retries bring every pod through.
    fixture.eci().faults().throttleAbove(8);
    try (VirtualNode node =
        Engines.engine(fixture.client(), fixture.eci(), "engine-a", List.of("vsw-b")).start()) {
      IntStream.range(0, 12)
          .forEach(
              i ->
                  fixture
                      .client()
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
    assertThat(fixture.eci().counters().errors("Throttling.User")).isPositive();
    assertThat(fixture.eci().instanceCount()).isEqualTo(12);
  }

  @Test
  void anEngineRestartedMidBurstLeavesNoDuplicateAndNoOrphan() {
    VirtualNode first =
        Engines.engine(fixture.cluster().newClient(), fixture.eci(), "engine-a", List.of("vsw-b"))
            .start();
    IntStream.range(0, 15)
        .forEach(
            i ->
                fixture
                    .client()
                    .pods()
                    .inNamespace("shop")
                    .resource(TestPods.labelled("burst-" + i))
                    .create());
    await().atMost(DEADLINE).until(() -> fixture.eci().instanceCount() >= 5);
    first.close();

    try (VirtualNode second =
        Engines.engine(fixture.cluster().newClient(), fixture.eci(), "engine-b", List.of("vsw-b"))
            .start()) {
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  IntStream.range(0, 15)
                      .allMatch(i -> "Running".equals(phase("shop", "burst-" + i))));
      Set<String> podUids = new HashSet<>();
      fixture
          .client()
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
        PodTranslator.translate(
            new PodBuilder(orphan)
                .editMetadata()
                .withNamespace("shop")
                .withUid("uid-ghost")
                .endMetadata()
                .build(),
            new References() {
              public Optional<ConfigMap> configMap(String n, String m) {
                return Optional.empty();
              }

              public Optional<Secret> secret(String n, String m) {
                return Optional.empty();
              }

              public List<Service> services(String n) {
                return List.of();
              }
            },
            new TranslationContext(
                Engines.config(List.of("vsw-b")), Engines.IDENTITY.nodeName(), Optional.empty()));
    String ghost = sdk.create(request.create());
    // An instance of another cluster in the same account and region.
    var foreign = request.create().request();
    foreign.setTags(List.of(tag(InstanceTags.CLUSTER, "someone-else")));
    String theirs = sdk.create(new CreateInstance(foreign, "uid-foreign"));

    try (VirtualNode node =
        Engines.engine(fixture.client(), fixture.eci(), "engine-a", List.of("vsw-b")).start()) {
      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () -> {
                fixture.eci().clock().advance(Duration.ofSeconds(5));
                assertThat(sdk.describeByIds(List.of(ghost, theirs)))
                    .extracting(i -> i.id())
                    .containsExactly(theirs);
              });
    }
  }

  private static Tag tag(String k, String v) {
    var t = new Tag();
    t.setKey(k);
    t.setValue(v);
    return t;
  }

  private EciSdkInstances sdk() {
    return new EciSdkInstances(
        new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou", Engines.KEY, Engines.SECRET)),
        "cn-hangzhou",
        Optional.of(fixture.eci().endpoint()));
  }

  private String phase(String namespace, String name) {
    Pod pod = fixture.client().pods().inNamespace(namespace).withName(name).get();
    return pod == null || pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? ""
        : pod.getStatus().getPhase();
  }
}
