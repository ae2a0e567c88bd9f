package io.eci.vnode.service.claims;

import static io.eci.vnode.service.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.status.PodPhase;
import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.ClusterBodies;
import io.eci.vnode.service.PostgresTestResource;
import io.eci.vnode.service.clusterstate.ClusterStateStore;
import io.eci.vnode.service.clusterstate.PodCounts;
import io.eci.vnode.service.clusterstate.PodRow;
import io.eci.vnode.service.clusterstate.StatusRow;
import io.eci.vnode.service.clusterstate.Written;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database is shared with every other test, so each test first lets a bystander replica hold
 * every claimable cluster and then works only with the clusters it registers itself.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
public class ClaimStoreIT {

  private static final Duration LONG = Duration.ofHours(1);

  @Inject ClaimStore claims;
  @Inject ClusterStateStore state;
  @Inject DataSource db;

  private TestTenant tenant;
  private final List<String> replicas = new ArrayList<>();

  @BeforeEach
  void onlyNewClustersAreClaimable() {
    tenant = Api.newTenant();
    claims.claim(replica("bystander"), Integer.MAX_VALUE, LONG);
  }

  @AfterEach
  void retireEveryReplica() {
    replicas.forEach(claims::retire);
  }

  @Test
  void twoReplicasSplitTheManagedClustersFairly() {
    Set<UUID> registered = register(6);
    String a = replica("a");
    String b = replica("b");

    List<Claim> ofA = claims.claim(a, 3, LONG);
    List<Claim> ofB = claims.claim(b, 3, LONG);

    assertThat(ofA).hasSize(3);
    assertThat(ofB).hasSize(3);
    assertThat(ids(ofA)).doesNotContainAnyElementsOf(ids(ofB));
    assertThat(union(ids(ofA), ids(ofB))).isEqualTo(registered);
    assertThat(ofA).allSatisfy(c -> assertThat(c.tenantId()).isEqualTo(tenant.id()));
    assertThat(claims.claim(a, 3, LONG)).as("a replica at its fair share claims no more").isEmpty();
    assertThat(claims.owned(a)).containsExactlyInAnyOrderElementsOf(ofA);
  }

  @Test
  void replicasClaimingAtTheSameMomentNeverGetTheSameCluster() throws Exception {
    Set<UUID> registered = register(20);
    List<String> four = IntStream.range(0, 4).mapToObj(i -> replica("racer-" + i)).toList();

    List<Claim> firstRound = claimConcurrently(four, 5);
    List<Claim> secondRound = claimConcurrently(four, 5);

    List<UUID> claimed = new ArrayList<>(ids(firstRound));
    claimed.addAll(ids(secondRound));
    assertThat(claimed).doesNotHaveDuplicates();
    assertThat(new HashSet<>(claimed)).isEqualTo(registered);
    assertThat(four).allSatisfy(r -> assertThat(claims.owned(r)).hasSize(5));
  }

  @Test
  void anExpiredClaimMovesToTheOtherReplicaWithABumpedEpoch() {
    Set<UUID> registered = register(2);
    String a = replica("a");
    String b = replica("b");
    List<Claim> ofA = claims.claim(a, 2, Duration.ofMillis(300));
    assertThat(ids(ofA)).containsExactlyInAnyOrderElementsOf(registered);

    List<Claim> ofB = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              ofB.addAll(claims.claim(b, 2, LONG));
              return ofB.size() == 2;
            });

    assertThat(ids(ofB)).containsExactlyInAnyOrderElementsOf(registered);
    for (Claim old : ofA) {
      Claim moved =
          ofB.stream().filter(c -> c.clusterId().equals(old.clusterId())).findFirst().get();
      assertThat(moved.epoch()).isGreaterThan(old.epoch());
      assertThat(claims.isCurrent(old)).isFalse();
      assertThat(claims.isCurrent(moved)).isTrue();
    }
    assertThat(claims.owned(a)).isEmpty();
    assertThat(claims.renew(a, LONG)).as("a lost claim is not renewed").isZero();
  }

  @Test
  void renewingExtendsEveryClaimOfTheReplicaInOneStatement() throws SQLException {
    register(3);
    String a = replica("a");
    List<Claim> ofA = claims.claim(a, 3, Duration.ofMinutes(1));
    List<UUID> ids = new ArrayList<>(ids(ofA));
    Map<UUID, Lease> before = leases(ids);

    assertThat(claims.renew(a, LONG)).isEqualTo(3);

    Map<UUID, Lease> after = leases(ids);
    assertThat(after.values())
        .allSatisfy(
            l -> assertThat(l.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(50))));
    assertThat(after.values().stream().map(Lease::transaction).distinct())
        .as("every claim was renewed by the same transaction")
        .hasSize(1)
        .doesNotContainAnyElementsOf(before.values().stream().map(Lease::transaction).toList());
    assertThat(claims.owned(a)).containsExactlyInAnyOrderElementsOf(ofA);
  }

  @Test
  void unmanagedClustersAreNeverClaimed() {
    Map<String, Object> body = ClusterBodies.valid("unmanaged-from-the-start");
    body.put("mode", "unmanaged");
    UUID unmanaged =
        UUID.fromString(
            as(tenant)
                .body(body)
                .post(Api.CLUSTERS_UNCHECKED)
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
    UUID switched = register(1).iterator().next();
    String a = replica("a");
    Claim claim = claims.claim(a, 10, LONG).get(0);

    Api.switchWithoutAgent(tenant, switched.toString(), 0, "unmanaged").then().statusCode(200);

    assertThat(claims.isCurrent(claim)).as("switching to unmanaged revokes the claim").isFalse();
    assertThat(claims.owned(a)).isEmpty();
    assertThat(ids(claims.claim(replica("b"), Integer.MAX_VALUE, LONG)))
        .doesNotContain(unmanaged, switched);

    Api.change(tenant, switched.toString(), 1, Map.of("mode", "managed")).then().statusCode(200);
    List<Claim> again = claims.claim(a, 10, LONG);
    assertThat(ids(again)).containsExactly(switched);
    assertThat(again.get(0).epoch()).isGreaterThan(claim.epoch());
  }

  @Test
  void aPausedClusterLosesItsClaimAndIsClaimableOnlyOnceResumed() {
    UUID cluster = register(1).iterator().next();
    String a = replica("a");
    Claim claim = claims.claim(a, 10, LONG).get(0);

    Api.change(tenant, cluster.toString(), 0, Map.of("paused", true)).then().statusCode(200);

    assertThat(claims.isCurrent(claim)).as("pausing revokes the claim").isFalse();
    assertThat(ids(claims.claim(replica("b"), Integer.MAX_VALUE, LONG))).doesNotContain(cluster);

    Api.change(tenant, cluster.toString(), 1, Map.of("paused", false)).then().statusCode(200);
    List<Claim> again = claims.claim(a, 10, LONG);
    assertThat(ids(again)).containsExactly(cluster);
    assertThat(again.get(0).epoch()).isGreaterThan(claim.epoch());
  }

  @Test
  void aReleasedClusterIsClaimableAtOnceUnderANewEpoch() {
    UUID cluster = register(1).iterator().next();
    String a = replica("a");
    Claim first = claims.claim(a, 1, LONG).get(0);

    claims.release(a, List.of(cluster));
    Claim second = claims.claim(replica("b"), 1, LONG).get(0);

    assertThat(second.clusterId()).isEqualTo(cluster);
    assertThat(second.epoch()).isGreaterThan(first.epoch());
    assertThat(claims.owned(a)).isEmpty();
  }

  @Test
  void aRestartedReplicaTakesBackItsOwnClaimsAtOnceUnderNewEpochsThatFenceItsPreviousRun() {
    Set<UUID> registered = register(2);
    String a = replica("a");
    List<Claim> previousRun = claims.claim(a, 2, Duration.ofMillis(1));
    assertThat(ids(previousRun)).containsExactlyInAnyOrderElementsOf(registered);

    List<Claim> back = claims.reclaim(a, LONG);

    assertThat(ids(back)).containsExactlyInAnyOrderElementsOf(registered);
    for (Claim old : previousRun) {
      Claim now =
          back.stream()
              .filter(c -> c.clusterId().equals(old.clusterId()))
              .findFirst()
              .orElseThrow();
      assertThat(now.epoch()).isGreaterThan(old.epoch());
      assertThat(claims.isCurrent(old)).isFalse();
      assertThat(claims.isCurrent(now)).isTrue();
      assertThat(state.writeStatuses(List.of(status(old, true))).fenced())
          .containsExactly(old.clusterId());
    }
    assertThat(claims.claim(replica("b"), 2, LONG)).as("held again, not expired").isEmpty();
    assertThat(claims.reclaim(replica("c"), LONG)).as("nobody else's claims").isEmpty();
  }

  @Test
  void aStaleEpochsStatusAndPodWritesAreDropped() {
    UUID cluster = register(1).iterator().next();
    String a = replica("a");
    String b = replica("b");
    Claim stale = claims.claim(a, 1, LONG).get(0);
    claims.release(a, List.of(cluster));
    Claim current = claims.claim(b, 1, LONG).get(0);

    Written byA = state.writeStatuses(List.of(status(stale, false)));
    Written byB = state.writeStatuses(List.of(status(current, true)));
    Written staleAfterB = state.writeStatuses(List.of(status(stale, false)));

    assertThat(byA).isEqualTo(new Written(0, Set.of(cluster)));
    assertThat(byB).isEqualTo(new Written(1, Set.of()));
    assertThat(staleAfterB.fenced()).containsExactly(cluster);
    assertThat(storedStatus(cluster)).isEqualTo(Optional.of(b + " ready=true"));

    assertThat(state.writePods(List.of(pod(current, "web-0", PodPhase.RUNNING))))
        .isEqualTo(new Written(1, Set.of()));
    assertThat(state.writePods(List.of(pod(stale, "web-0", PodPhase.FAILED))))
        .isEqualTo(new Written(0, Set.of(cluster)));
    assertThat(storedPhase(cluster, "web-0")).isEqualTo("Running");
  }

  @Test
  void aBatchWritesTheCurrentClustersAndReportsOnlyTheStaleOnes() {
    Set<UUID> registered = register(3);
    String a = replica("a");
    List<Claim> ofA = claims.claim(a, 3, LONG);
    Claim lost = ofA.get(0);
    claims.release(a, List.of(lost.clusterId()));
    claims.claim(replica("b"), 1, LONG);

    Written written =
        state.writePods(ofA.stream().map(c -> pod(c, "api-0", PodPhase.PENDING)).toList());

    assertThat(written).isEqualTo(new Written(2, Set.of(lost.clusterId())));
    assertThat(registered).contains(lost.clusterId());
  }

  @Test
  void theFairShareIsManagedClustersOverLiveReplicasRoundedUp() {
    Census before = claims.census();
    claims.renew(replica("a"), LONG);
    claims.renew(replica("b"), LONG);
    register(3);
    Map<String, Object> body = ClusterBodies.valid("not-counted");
    body.put("mode", "unmanaged");
    as(tenant).body(body).post(Api.CLUSTERS_UNCHECKED).then().statusCode(201);

    Census after = claims.census();

    assertThat(after.liveReplicas()).isEqualTo(before.liveReplicas() + 2);
    assertThat(after.managedClusters()).isEqualTo(before.managedClusters() + 3);
  }

  @Test
  void aRetiredReplicaLeavesItsClustersAndTheCount() {
    register(2);
    String a = replica("a");
    claims.renew(a, LONG);
    claims.claim(a, 2, LONG);
    Census alive = claims.census();

    claims.retire(a);

    assertThat(claims.owned(a)).isEmpty();
    assertThat(claims.census().liveReplicas()).isEqualTo(alive.liveReplicas() - 1);
    assertThat(claims.claim(replica("b"), 2, LONG)).hasSize(2);
  }

  private List<Claim> claimConcurrently(List<String> replicas, int fairShare) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(replicas.size());
    try {
      List<Callable<List<Claim>>> calls =
          replicas.stream()
              .<Callable<List<Claim>>>map(r -> () -> claims.claim(r, fairShare, LONG))
              .toList();
      List<Claim> all = new ArrayList<>();
      for (Future<List<Claim>> f : pool.invokeAll(calls)) {
        all.addAll(f.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private Set<UUID> register(int count) {
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      ids.add(UUID.fromString(Api.registerCluster(tenant, "c-" + i)));
    }
    return ids;
  }

  private String replica(String role) {
    String name = role + "-" + UUID.randomUUID();
    replicas.add(name);
    return name;
  }

  private static List<UUID> ids(List<Claim> claims) {
    return claims.stream().map(Claim::clusterId).toList();
  }

  private static Set<UUID> union(List<UUID> a, List<UUID> b) {
    Set<UUID> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  public static StatusRow status(Claim claim, boolean ready) {
    return new StatusRow(
        claim.clusterId(),
        claim.epoch(),
        ready,
        Instant.now(),
        new PodCounts(0, 1, 0, 0),
        Optional.empty(),
        Optional.empty());
  }

  public static PodRow pod(Claim claim, String name, PodPhase phase) {
    return new PodRow(
        claim.clusterId(),
        claim.epoch(),
        "uid-" + name,
        "default",
        name,
        "eci-" + name,
        "cn-hangzhou-k",
        phase,
        Instant.parse("2024-05-01T10:00:00Z"),
        null);
  }

  private record Lease(Instant expiresAt, String transaction) {}

  private Map<UUID, Lease> leases(List<UUID> clusters) throws SQLException {
    Map<UUID, Lease> leases = new HashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT cluster_id, expires_at, xmin::text FROM cluster_claims"
                    + " WHERE cluster_id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("uuid", clusters.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          leases.put(
              rs.getObject(1, UUID.class),
              new Lease(rs.getTimestamp(2).toInstant(), rs.getString(3)));
        }
      }
    }
    return leases;
  }

  private Optional<String> storedStatus(UUID cluster) {
    return query(
        "SELECT owner || ' ready=' || node_ready FROM cluster_statuses WHERE cluster_id = ?",
        cluster);
  }

  private String storedPhase(UUID cluster, String pod) {
    return query(
            "SELECT phase FROM cluster_pods WHERE cluster_id = ? AND pod_uid = 'uid-" + pod + "'",
            cluster)
        .orElseThrow();
  }

  private Optional<String> query(String sql, UUID cluster) {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, cluster);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
