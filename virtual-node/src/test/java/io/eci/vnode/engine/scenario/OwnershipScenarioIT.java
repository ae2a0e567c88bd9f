package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Only the holder of the cluster's coordination Lease acts; losing it stops the writes. */
class OwnershipScenarioIT {

  @RegisterExtension final EngineFixture fixture = EngineFixture.create().namespace("shop");

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void twoEnginesNeverBothActAndTheSecondTakesOverWithoutRecreatingPods() {
    VirtualNode a =
        Engines.engine(fixture.cluster().newClient(), fixture.eci(), "engine-a", List.of("vsw-b"))
            .start();
    VirtualNode b =
        Engines.engine(fixture.cluster().newClient(), fixture.eci(), "engine-b", List.of("vsw-b"))
            .start();
    try {
      await().atMost(DEADLINE).until(() -> a.isOwner() ^ b.isOwner());
      VirtualNode owner = a.isOwner() ? a : b;
      VirtualNode standby = owner == a ? b : a;

      fixture.client().pods().inNamespace("shop").resource(TestPods.labelled("first")).create();
      await().atMost(DEADLINE).until(() -> phase("first").equals("Running"));
      String firstInstance =
          fixture
              .client()
              .pods()
              .inNamespace("shop")
              .withName("first")
              .get()
              .getMetadata()
              .getAnnotations()
              .get("k8s.aliyun.com/eci-instance-id");

      owner.close();
      await().atMost(DEADLINE).until(standby::isOwner);
      fixture.client().pods().inNamespace("shop").resource(TestPods.labelled("second")).create();
      await().atMost(DEADLINE).until(() -> phase("second").equals("Running"));

      assertThat(fixture.eci().instanceCount()).isEqualTo(2);
      assertThat(
              fixture
                  .client()
                  .pods()
                  .inNamespace("shop")
                  .withName("first")
                  .get()
                  .getMetadata()
                  .getAnnotations())
          .containsEntry("k8s.aliyun.com/eci-instance-id", firstInstance);
      assertThat(fixture.eci().counters().calls("CreateContainerGroup")).isEqualTo(2);
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void anEngineWhoseLeaseIsTakenStopsWriting() {
    VirtualNode a =
        Engines.engine(fixture.cluster().newClient(), fixture.eci(), "engine-a", List.of("vsw-b"))
            .start();
    try {
      await().atMost(DEADLINE).until(a::isOwner);
      // The intruder retries on conflict, as a real competitor would while the engine renews.
      await()
          .atMost(DEADLINE)
          .ignoreExceptions()
          .until(
              () -> {
                fixture
                    .client()
                    .leases()
                    .inNamespace("kube-system")
                    .withName(VirtualNode.OWNERSHIP_LEASE)
                    .edit(
                        l ->
                            new LeaseBuilder(l)
                                .editSpec()
                                .withHolderIdentity("intruder")
                                .withLeaseDurationSeconds(3600)
                                .withRenewTime(ZonedDateTime.now())
                                .endSpec()
                                .build());
                return true;
              });
      await().atMost(DEADLINE).until(() -> !a.isOwner());

      fixture
          .client()
          .pods()
          .inNamespace("shop")
          .resource(TestPods.labelled("unattended"))
          .create();
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(4))
          .until(
              () -> {
                Pod pod = fixture.client().pods().inNamespace("shop").withName("unattended").get();
                return pod.getSpec().getNodeName() == null && fixture.eci().instanceCount() == 0;
              });
    } finally {
      a.close();
    }
  }

  @Test
  void anEngineClosedNotReadyLeavesTheReasonOnTheNodeAndItsPodsRunning() {
    VirtualNode a =
        Engines.engine(fixture.cluster().newClient(), fixture.eci(), "engine-a", List.of("vsw-b"))
            .start();
    VirtualNode b = null;
    try {
      await().atMost(DEADLINE).until(a::isOwner);
      fixture.client().pods().inNamespace("shop").resource(TestPods.labelled("kept")).create();
      await().atMost(DEADLINE).until(() -> phase("kept").equals("Running"));

      a.closeNotReady("VirtualNodePaused", "paused by the owner");

      var ready =
          fixture.client().nodes().withName(a.nodeName()).get().getStatus().getConditions().stream()
              .filter(c -> c.getType().equals("Ready"))
              .findFirst()
              .orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("VirtualNodePaused");
      assertThat(ready.getMessage()).isEqualTo("paused by the owner");
      assertThat(phase("kept")).isEqualTo("Running");
      assertThat(fixture.eci().instanceCount()).isEqualTo(1);

      // The Lease was released: a new engine takes over at once, not after the lease runs out.
      assertThat(
              fixture
                  .client()
                  .leases()
                  .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
                  .withName(VirtualNode.OWNERSHIP_LEASE)
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isNullOrEmpty();
      b =
          Engines.engine(fixture.cluster().newClient(), fixture.eci(), "engine-b", List.of("vsw-b"))
              .start();
      await().atMost(Duration.ofSeconds(10)).until(b::isOwner);
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  fixture
                      .client()
                      .nodes()
                      .withName(a.nodeName())
                      .get()
                      .getStatus()
                      .getConditions()
                      .stream()
                      .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
      assertThat(fixture.eci().counters().calls("CreateContainerGroup")).isEqualTo(1);
    } finally {
      a.close();
      if (b != null) {
        b.close();
      }
    }
  }

  private String phase(String name) {
    Pod pod = fixture.client().pods().inNamespace("shop").withName(name).get();
    return pod == null || pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? ""
        : pod.getStatus().getPhase();
  }
}
