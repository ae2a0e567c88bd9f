package io.eci.vnode.service.hosting;

import static io.eci.vnode.service.hosting.StandInClusters.DEADLINE;
import static io.eci.vnode.service.hosting.StandInClusters.awaitReadyNode;
import static io.eci.vnode.service.hosting.StandInClusters.awaitRunning;
import static io.eci.vnode.service.hosting.StandInClusters.ownershipHolder;
import static io.eci.vnode.service.hosting.StandInClusters.status;
import static io.eci.vnode.service.hosting.StandInClusters.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.pod.PodController;
import io.eci.vnode.sandbox.testing.TestPods;
import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.EciSandboxTestResource;
import io.eci.vnode.service.PostgresTestResource;
import io.eci.vnode.service.hosting.StandInClusters.Registered;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registrations stored without the checks ({@code ?validate=false}) are checked by hosting when
 * their engine first connects: a second registration of a hosted cluster gets no engine and says
 * why, and settings fixed after they failed take effect at the next round, not once a breaker the
 * old ones opened lets a call through again.
 */
@QuarkusTest
@TestProfile(HostingProfile.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(EciSandboxTestResource.class)
class UncheckedRegistrationIT {

  @Inject Host host;

  private final StandInClusters clusters = new StandInClusters();

  @BeforeEach
  void hostIsRunning() {
    host.start();
  }

  @AfterEach
  void stopClusters() {
    clusters.close();
  }

  @Test
  void aSecondUncheckedRegistrationOfAHostedClusterGetsNoEngineAndSaysWhy() {
    Registered first = clusters.registerUnchecked(Api.newTenant());
    awaitReadyNode(first.kube(), DEADLINE);
    first.kube().pods().inNamespace("default").resource(TestPods.labelled("steady")).create();
    Pod running = awaitRunning(first.kube(), "steady");
    String holder = ownershipHolder(first.kube());

    TestTenant other = Api.newTenant();
    Registered second = clusters.registerUnchecked(other, first.sandbox(), StandInClusters.keyA());

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              JsonPath status = status(second);
              assertThat(status.getString("state")).isEqualTo("failing");
              assertThat(status.getString("lastApiError.message"))
                  .contains("another registration holds this API server's cluster");
            });
    // For several rounds: the first registration's pod keeps its instance, and its engine the
    // ownership Lease.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              Pod now = first.kube().pods().inNamespace("default").withName("steady").get();
              assertThat(now.getStatus().getPhase()).isEqualTo("Running");
              assertThat(now.getMetadata().getAnnotations())
                  .containsEntry(
                      PodController.INSTANCE_ANNOTATION,
                      running
                          .getMetadata()
                          .getAnnotations()
                          .get(PodController.INSTANCE_ANNOTATION));
              assertThat(ownershipHolder(first.kube())).isEqualTo(holder);
            });
  }

  @Test
  void fixedCredentialsTakeEffectAtTheNextRoundThoughTheOldOnesOpenedTheBreaker() {
    TestTenant tenant = Api.newTenant();
    Registered broken =
        clusters.registerUnchecked(
            tenant,
            clusters.start(),
            Map.of("accessKeyId", EciSandboxTestResource.KEY_A, "accessKeySecret", "wrong"));
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(status(broken).getString("lastEciError.message"))
                    .startsWith("circuit open since"));

    Api.changeUnchecked(
            tenant,
            broken.id(),
            version(broken),
            Map.of("eci", Map.of("credentials", StandInClusters.keyA())))
        .then()
        .statusCode(200);

    // Well within the 30 s the open breaker would refuse calls for.
    awaitReadyNode(broken.kube(), Duration.ofSeconds(15));
  }
}
