package io.eci.vnode.service.cluster;

import static io.eci.vnode.service.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.PostgresTestResource;
import io.eci.vnode.service.cluster.ClusterIdentities.Outcome;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A cluster registered without the checks gets its identity when a host first reads it, and the
 * host learns then whether another registration holds that cluster.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ClusterIdentitiesIT {

  @Inject ClusterIdentities identities;

  @Test
  void anUncheckedClusterTakesTheFirstIdentityReadAndKeepsIt() {
    TestTenant tenant = Api.newTenant();
    UUID id = UUID.fromString(Api.registerCluster(tenant, "offline"));
    String uid = UUID.randomUUID().toString();

    assertThat(identities.recordIfUnknown(id, uid)).isEqualTo(Outcome.RECORDED);
    assertThat(identities.recordIfUnknown(id, uid)).isEqualTo(Outcome.SAME);
    assertThat(identities.recordIfUnknown(id, UUID.randomUUID().toString()))
        .isEqualTo(Outcome.DIFFERENT);
    as(tenant)
        .get("/api/v1/clusters/{id}", id.toString())
        .then()
        .statusCode(200)
        .body("apiServer.clusterIdentity", equalTo(uid))
        .body("validation", equalTo("skipped"));
  }

  @Test
  void anIdentityHeldByAnotherTenantsRegistrationIsNotRecordedTwice() {
    String uid = UUID.randomUUID().toString();
    UUID held = UUID.fromString(Api.registerCluster(Api.newTenant(), "holder"));
    UUID twice = UUID.fromString(Api.registerCluster(Api.newTenant(), "twice"));
    identities.recordIfUnknown(held, uid);

    assertThat(identities.recordIfUnknown(twice, uid)).isEqualTo(Outcome.HELD_ELSEWHERE);
    assertThat(identities.recordIfUnknown(twice, UUID.randomUUID().toString()))
        .isEqualTo(Outcome.RECORDED);
  }

  @Test
  void aClusterNoLongerRegisteredIsGone() {
    assertThat(identities.recordIfUnknown(UUID.randomUUID(), "any")).isEqualTo(Outcome.GONE);
  }
}
