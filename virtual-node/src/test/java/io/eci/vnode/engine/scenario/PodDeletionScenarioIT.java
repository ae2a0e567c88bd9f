package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.eci.EciFault;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deleting a pod: its instance stops within the pod's grace period before the pod goes. */
class PodDeletionScenarioIT {

  @RegisterExtension
  final EngineFixture fixture =
      EngineFixture.create()
          // A deleted instance stays Terminating for ten minutes of sandbox time, until a test
          // moves the sandbox's clock on.
          .eci(
              () ->
                  EciSandbox.builder()
                      .accessKey(Engines.KEY, Engines.SECRET)
                      .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/16")
                      .instantProvisioning()
                      .terminating(STOPPING)
                      .start())
          .engine(List.of("vsw-b"));

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Duration STOPPING = Duration.ofMinutes(10);

  @Test
  void aDeletedPodStaysTerminatingWhileItsInstanceStopsAndGoesOnceItHas() {
    runningPod("web", 120);

    fixture.client().pods().inNamespace("default").withName("web").delete();

    await()
        .atMost(DEADLINE)
        .until(() -> fixture.eci().counters().calls("DeleteContainerGroup") == 1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> pod("web") != null && pod("web").getMetadata().getDeletionTimestamp() != null);
    assertThat(fixture.eci().instanceCount()).isEqualTo(1);

    fixture.eci().clock().advance(STOPPING);
    await().atMost(DEADLINE).until(() -> pod("web") == null);
    assertThat(fixture.eci().instanceCount()).isZero();
  }

  @Test
  void aPodWhoseInstanceOutlastsTheGracePeriodGoesWhenTheGracePeriodIsOver() {
    runningPod("web", 120);

    fixture.client().pods().inNamespace("default").withName("web").withGracePeriod(2).delete();

    await().atMost(DEADLINE).until(() -> pod("web") == null);
    assertThat(fixture.eci().counters().calls("DeleteContainerGroup")).isEqualTo(1);
    assertThat(fixture.eci().instanceCount()).as("the instance still stopping in ECI").isEqualTo(1);
  }

  @Test
  void aSecondDeleteWithAShorterGracePeriodEndsTheWaitSooner() {
    runningPod("web", 120);
    fixture.client().pods().inNamespace("default").withName("web").delete();
    await()
        .atMost(DEADLINE)
        .until(() -> fixture.eci().counters().calls("DeleteContainerGroup") == 1);

    fixture.client().pods().inNamespace("default").withName("web").withGracePeriod(2).delete();

    await().atMost(Duration.ofSeconds(15)).until(() -> pod("web") == null);
    assertThat(fixture.eci().counters().calls("DeleteContainerGroup")).isEqualTo(1);
    assertThat(fixture.eci().instanceCount()).as("the instance still stopping in ECI").isEqualTo(1);
  }

  @Test
  void theGracePeriodHoldsWhileEciCannotBeRead() {
    runningPod("web", 120);
    for (int i = 0; i < 2000; i++) {
      fixture.eci().faults().failNext("DescribeContainerGroupStatus", EciFault.SERVICE_UNAVAILABLE);
    }

    fixture.client().pods().inNamespace("default").withName("web").withGracePeriod(2).delete();

    await().atMost(DEADLINE).until(() -> pod("web") == null);
    assertThat(fixture.eci().counters().calls("DeleteContainerGroup")).isEqualTo(1);
  }

  @Test
  void aPodAFinalizerKeepsIsStoppedOnceAndShowsItNoLongerRuns() {
    Pod held = TestPods.labelled("web");
    held.getMetadata().setFinalizers(List.of("example.com/hold"));
    held.getSpec().setTerminationGracePeriodSeconds(120L);
    fixture.client().pods().inNamespace("default").resource(held).create();
    await().atMost(DEADLINE).until(() -> "Running".equals(pod("web").getStatus().getPhase()));

    fixture.client().pods().inNamespace("default").withName("web").withGracePeriod(1).delete();

    await().atMost(DEADLINE).until(() -> "Failed".equals(pod("web").getStatus().getPhase()));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> fixture.eci().counters().calls("DeleteContainerGroup") == 1);
    assertThat(pod("web").getMetadata().getFinalizers()).containsExactly("example.com/hold");
    assertThat(
            fixture.client().v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "InstanceDeleted".equals(e.getReason())))
        .singleElement()
        .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  private void runningPod(String name, long graceSeconds) {
    Pod pod = TestPods.labelled(name);
    pod.getSpec().setTerminationGracePeriodSeconds(graceSeconds);
    fixture.client().pods().inNamespace("default").resource(pod).create();
    await().atMost(DEADLINE).until(() -> "Running".equals(pod(name).getStatus().getPhase()));
  }

  private Pod pod(String name) {
    return fixture.client().pods().inNamespace("default").withName(name).get();
  }
}
