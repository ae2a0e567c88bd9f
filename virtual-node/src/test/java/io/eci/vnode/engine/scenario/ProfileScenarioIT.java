package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The eci-profile selects pods and overrides ECI settings, for new pods only. */
class ProfileScenarioIT {

  @RegisterExtension
  final EngineFixture fixture =
      EngineFixture.create()
          .namespace("data")
          .given(
              client ->
                  client
                      .configMaps()
                      .inNamespace("kube-system")
                      .resource(
                          new ConfigMapBuilder()
                              .withNewMetadata()
                              .withName("eci-profile")
                              .withNamespace("kube-system")
                              .endMetadata()
                              .addToData(
                                  "selectors",
                                  "[{\"name\":\"batch\",\"objectSelector\":{\"matchLabels\":{\"app\":\"batch\"}}}]")
                              .build())
                      .create())
          .engine(List.of("vsw-b"));

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void aSelectorSendsAPodToEciAndAProfileChangeReachesOnlyNewPods() {
    fixture.client().pods().inNamespace("data").resource(batchPod("before")).create();
    await().atMost(DEADLINE).until(() -> "Running".equals(phase("before")));
    Pod before = fixture.client().pods().inNamespace("data").withName("before").get();
    assertThat(before.getStatus().getPodIP()).startsWith("10.2.");

    fixture
        .client()
        .configMaps()
        .inNamespace("kube-system")
        .withName("eci-profile")
        .edit(m -> new ConfigMapBuilder(m).addToData("vSwitchIds", "vsw-a").build());
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              String name = "after-" + System.nanoTime();
              fixture.client().pods().inNamespace("data").resource(batchPod(name)).create();
              await().atMost(DEADLINE).until(() -> "Running".equals(phase(name)));
              assertThat(
                      fixture
                          .client()
                          .pods()
                          .inNamespace("data")
                          .withName(name)
                          .get()
                          .getStatus()
                          .getPodIP())
                  .startsWith("10.1.");
            });

    Pod unchanged = fixture.client().pods().inNamespace("data").withName("before").get();
    assertThat(unchanged.getStatus().getPodIP()).isEqualTo(before.getStatus().getPodIP());
    assertThat(unchanged.getMetadata().getAnnotations().get("k8s.aliyun.com/eci-instance-id"))
        .isEqualTo(before.getMetadata().getAnnotations().get("k8s.aliyun.com/eci-instance-id"));
  }

  @Test
  void anInvalidProfileIsRefusedWithAnEventAndTheOldOneStays() {
    fixture.client().pods().inNamespace("data").resource(batchPod("first")).create();
    await().atMost(DEADLINE).until(() -> "Running".equals(phase("first")));

    fixture
        .client()
        .configMaps()
        .inNamespace("kube-system")
        .withName("eci-profile")
        .edit(m -> new ConfigMapBuilder(m).addToData("vSwitchIds", "subnet-9").build());
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                fixture.client().v1().events().inNamespace("kube-system").list().getItems().stream()
                    .anyMatch(
                        e ->
                            "InvalidEciProfile".equals(e.getReason())
                                && e.getMessage().contains("subnet-9")));

    fixture.client().pods().inNamespace("data").resource(batchPod("still-selected")).create();
    await().atMost(DEADLINE).until(() -> "Running".equals(phase("still-selected")));
  }

  private static Pod batchPod(String name) {
    return new PodBuilder(TestPods.labelled(name))
        .editMetadata()
        .withLabels(Map.of("app", "batch"))
        .endMetadata()
        .build();
  }

  private String phase(String name) {
    Pod pod = fixture.client().pods().inNamespace("data").withName(name).get();
    return pod == null || pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? ""
        : pod.getStatus().getPhase();
  }
}
