package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.node.LeaseHolder;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hosted engines in the ownership Lease: two registrations of one cluster never both act, the
 * passive one says who holds the Lease, and a restarted replica's engine takes over the Lease its
 * own earlier term left at once instead of waiting it out.
 */
class LeaseHolderScenarioIT {

  @RegisterExtension final EngineFixture fixture = EngineFixture.create().namespace("shop");

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void aSecondRegistrationOfTheClusterStaysPassiveSaysWhyAndLeavesTheFirstOnesPodsAlone() {
    LeaseHolder first = new LeaseHolder("replica-1", "registration-a", 1);
    LeaseHolder second = new LeaseHolder("replica-1", "registration-b", 1);
    VirtualNode a =
        fixture.closeAfter(
            Engines.engine(fixture.cluster().newClient(), fixture.eci(), "registration-a", first)
                .start());
    await().atMost(DEADLINE).until(a::isOwner);
    fixture.client().pods().inNamespace("shop").resource(TestPods.labelled("web")).create();
    await().atMost(DEADLINE).until(() -> phase("web").equals("Running"));

    VirtualNode b =
        fixture.closeAfter(
            Engines.engine(fixture.cluster().newClient(), fixture.eci(), "registration-b", second)
                .start());

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(b.status().lastApiError())
                    .contains(
                        "the ownership Lease kube-system/eci-virtual-node-controller is held by "
                            + first.identity()
                            + ", not by this registration's engine; staying passive"));
    fixture.client().pods().inNamespace("shop").resource(TestPods.labelled("second")).create();
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(6))
        .until(() -> a.isOwner() && !b.isOwner() && phase("web").equals("Running"));
    await().atMost(DEADLINE).until(() -> phase("second").equals("Running"));
    assertThat(fixture.eci().counters().calls("CreateContainerGroup")).isEqualTo(2);
    assertThat(fixture.eci().instanceCount()).isEqualTo(2);
    assertThat(b.status().owner()).isFalse();
    assertThat(a.status().lastApiError()).isEmpty();
  }

  @Test
  void aRestartedReplicasEngineTakesOverItsOwnEarlierTermsLeaseAtOnce() {
    LeaseHolder crashed = new LeaseHolder("replica-1", "cluster-scenario", 4);
    heldFor(crashed.identity(), 3600);

    VirtualNode restarted =
        fixture.closeAfter(
            Engines.engine(
                    fixture.cluster().newClient(),
                    fixture.eci(),
                    "cluster-scenario",
                    new LeaseHolder("replica-1", "cluster-scenario", 5))
                .start());

    await().atMost(Duration.ofSeconds(5)).until(restarted::isOwner);
    assertThat(holder()).isEqualTo("replica-1/cluster-scenario/5");
  }

  @Test
  void anotherReplicasOrALaterTermsLeaseIsNotTakenOver() {
    heldFor("replica-2/cluster-scenario/4", 3600);
    VirtualNode otherReplica =
        fixture.closeAfter(
            Engines.engine(
                    fixture.cluster().newClient(),
                    fixture.eci(),
                    "cluster-scenario",
                    new LeaseHolder("replica-1", "cluster-scenario", 5))
                .start());
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> !otherReplica.isOwner());
    assertThat(otherReplica.status().lastApiError())
        .hasValueSatisfying(
            m ->
                assertThat(m).contains("held by replica-2/cluster-scenario/4").contains("waiting"));
    otherReplica.close();

    heldFor("replica-1/cluster-scenario/9", 3600);
    VirtualNode staleTerm =
        fixture.closeAfter(
            Engines.engine(
                    fixture.cluster().newClient(),
                    fixture.eci(),
                    "cluster-scenario",
                    new LeaseHolder("replica-1", "cluster-scenario", 5))
                .start());
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> !staleTerm.isOwner());
    assertThat(holder()).isEqualTo("replica-1/cluster-scenario/9");
  }

  /** The Lease as a holder left it that renewed it just now, for {@code seconds}. */
  private void heldFor(String identity, int seconds) {
    var leases = fixture.client().leases().inNamespace(VirtualNode.OWNERSHIP_NAMESPACE);
    var lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(VirtualNode.OWNERSHIP_LEASE)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(identity)
            .withLeaseDurationSeconds(seconds)
            .withAcquireTime(ZonedDateTime.now())
            .withRenewTime(ZonedDateTime.now())
            .withLeaseTransitions(1)
            .endSpec()
            .build();
    if (leases.withName(VirtualNode.OWNERSHIP_LEASE).get() == null) {
      leases.resource(lease).create();
    } else {
      leases
          .withName(VirtualNode.OWNERSHIP_LEASE)
          .edit(l -> new LeaseBuilder(l).withSpec(lease.getSpec()).build());
    }
  }

  private String holder() {
    return fixture
        .client()
        .leases()
        .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
        .withName(VirtualNode.OWNERSHIP_LEASE)
        .get()
        .getSpec()
        .getHolderIdentity();
  }

  private String phase(String name) {
    Pod pod = fixture.client().pods().inNamespace("shop").withName(name).get();
    return pod == null || pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? ""
        : pod.getStatus().getPhase();
  }
}
