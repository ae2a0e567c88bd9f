package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.eci.EciFault;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deleting a pod: its instance stops within the pod's grace period before the pod goes. */
class PodDeletionScenarioTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Duration STOPPING = Duration.ofMinutes(10);

  private Cluster cluster;
  private EciSandbox eci;
  private KubernetesClient client;
  private VirtualNode node;

  @BeforeEach
  void start() {
    cluster = Cluster.forTests(getClass().getSimpleName());
    client = cluster.client();
    // A deleted instance stays Terminating for ten minutes of sandbox time, until a test moves
    // the sandbox's clock on.
    eci =
        EciSandbox.builder()
            .accessKey(Engines.KEY, Engines.SECRET)
            .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/16")
            .instantProvisioning()
            .terminating(STOPPING)
            .start();
    node = Engines.engine(client, eci, "engine-a", List.of("vsw-b")).start();
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (node != null) {
      node.close();
    }
    if (eci != null) {
      eci.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aDeletedPodStaysTerminatingWhileItsInstanceStopsAndGoesOnceItHas() {
    runningPod("web", 120);

    client.pods().inNamespace("default").withName("web").delete();

    await().atMost(DEADLINE).until(() -> eci.counters().calls("DeleteContainerGroup") == 1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> pod("web") != null && pod("web").getMetadata().getDeletionTimestamp() != null);
    assertThat(eci.instanceCount()).isEqualTo(1);

    eci.clock().advance(STOPPING);
    await().atMost(DEADLINE).until(() -> pod("web") == null);
    assertThat(eci.instanceCount()).isZero();
  }

  @Test
  void aPodWhoseInstanceOutlastsTheGracePeriodGoesWhenTheGracePeriodIsOver() {
    runningPod("web", 120);

    client.pods().inNamespace("default").withName("web").withGracePeriod(2).delete();

    await().atMost(DEADLINE).until(() -> pod("web") == null);
    assertThat(eci.counters().calls("DeleteContainerGroup")).isEqualTo(1);
    assertThat(eci.instanceCount()).as("the instance still stopping in ECI").isEqualTo(1);
  }

  @Test
  void aSecondDeleteWithAShorterGracePeriodEndsTheWaitSooner() {
    runningPod("web", 120);
    client.pods().inNamespace("default").withName("web").delete();
    await().atMost(DEADLINE).until(() -> eci.counters().calls("DeleteContainerGroup") == 1);

    client.pods().inNamespace("default").withName("web").withGracePeriod(2).delete();

    await().atMost(Duration.ofSeconds(15)).until(() -> pod("web") == null);
    assertThat(eci.counters().calls("DeleteContainerGroup")).isEqualTo(1);
    assertThat(eci.instanceCount()).as("the instance still stopping in ECI").isEqualTo(1);
  }

  @Test
  void theGracePeriodHoldsWhileEciCannotBeRead() {
    runningPod("web", 120);
    for (int i = 0; i < 2000; i++) {
      eci.faults().failNext("DescribeContainerGroupStatus", EciFault.SERVICE_UNAVAILABLE);
    }

    client.pods().inNamespace("default").withName("web").withGracePeriod(2).delete();

    await().atMost(DEADLINE).until(() -> pod("web") == null);
    assertThat(eci.counters().calls("DeleteContainerGroup")).isEqualTo(1);
  }

  @Test
  void aPodAFinalizerKeepsIsStoppedOnceAndShowsItNoLongerRuns() {
    Pod held = TestPods.labelled("web");
    held.getMetadata().setFinalizers(List.of("example.com/hold"));
    held.getSpec().setTerminationGracePeriodSeconds(120L);
    client.pods().inNamespace("default").resource(held).create();
    await().atMost(DEADLINE).until(() -> "Running".equals(pod("web").getStatus().getPhase()));

    client.pods().inNamespace("default").withName("web").withGracePeriod(1).delete();

    await().atMost(DEADLINE).until(() -> "Failed".equals(pod("web").getStatus().getPhase()));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> eci.counters().calls("DeleteContainerGroup") == 1);
    assertThat(pod("web").getMetadata().getFinalizers()).containsExactly("example.com/hold");
    assertThat(
            client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "InstanceDeleted".equals(e.getReason())))
        .singleElement()
        .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
  }

  private void runningPod(String name, long graceSeconds) {
    Pod pod = TestPods.labelled(name);
    pod.getSpec().setTerminationGracePeriodSeconds(graceSeconds);
    client.pods().inNamespace("default").resource(pod).create();
    await().atMost(DEADLINE).until(() -> "Running".equals(pod(name).getStatus().getPhase()));
  }

  private Pod pod(String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }
}
