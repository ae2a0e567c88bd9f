package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.Cluster;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's ownership fence: fabric8's LeaderElector on a coordination.k8s.io/v1 Lease. */
class LeaderElectionIT {

  private static final String NAMESPACE = "kube-system";
  private static final String LEASE = "eci-virtual-node-controller";

  private Cluster kube;
  private KubernetesClient clientA;
  private KubernetesClient clientB;
  private final Set<String> leading = ConcurrentHashMap.newKeySet();
  private CompletableFuture<?> electorA;
  private CompletableFuture<?> electorB;

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    clientA = kube.newClient();
    clientB = kube.newClient();
  }

  @AfterEach
  void stop() {
    for (CompletableFuture<?> elector : new CompletableFuture<?>[] {electorA, electorB}) {
      if (elector != null) {
        elector.cancel(true);
      }
    }
    // Fields stay null when the cluster is not available and the test is skipped.
    if (kube != null) {
      clientA.close();
      clientB.close();
      kube.close();
    }
  }

  @Test
  void exactlyOneLeadsAndTheOtherTakesOverWhenTheLeaderReleases() {
    electorA = elect(clientA, "replica-a", true);
    electorB = elect(clientB, "replica-b", true);

    await().atMost(Duration.ofSeconds(15)).until(() -> leading.size() == 1);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> leading.size() == 1);
    String first = leading.iterator().next();
    assertThat(holder()).isEqualTo(first);

    (first.equals("replica-a") ? electorA : electorB).cancel(true);

    String second = first.equals("replica-a") ? "replica-b" : "replica-a";
    await().atMost(Duration.ofSeconds(15)).until(() -> leading.equals(Set.of(second)));
    assertThat(holder()).isEqualTo(second);
    assertThat(lease().getSpec().getLeaseTransitions()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theOtherTakesOverWhenTheLeaderStopsRenewingWithoutReleasing() {
    electorA = elect(clientA, "replica-a", false);
    await().atMost(Duration.ofSeconds(15)).until(() -> leading.equals(Set.of("replica-a")));
    electorB = elect(clientB, "replica-b", false);

    electorA.cancel(true); // stops renewing, leaves the lease to expire

    await().atMost(Duration.ofSeconds(15)).until(() -> leading.equals(Set.of("replica-b")));
    assertThat(holder()).isEqualTo("replica-b");
  }

  private CompletableFuture<?> elect(KubernetesClient client, String identity, boolean release) {
    return client
        .leaderElector()
        .withConfig(
            new LeaderElectionConfigBuilder()
                .withName("eci-virtual-node")
                .withLock(new LeaseLock(NAMESPACE, LEASE, identity))
                .withLeaseDuration(Duration.ofSeconds(2))
                .withRenewDeadline(Duration.ofMillis(1500))
                .withRetryPeriod(Duration.ofMillis(200))
                .withReleaseOnCancel(release)
                .withLeaderCallbacks(
                    new LeaderCallbacks(
                        () -> leading.add(identity), () -> leading.remove(identity), leader -> {}))
                .build())
        .build()
        .start();
  }

  private Lease lease() {
    return kube.client().leases().inNamespace(NAMESPACE).withName(LEASE).get();
  }

  private String holder() {
    return lease().getSpec().getHolderIdentity();
  }
}
