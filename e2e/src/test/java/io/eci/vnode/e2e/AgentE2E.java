package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.controlplane.RequiresControlPlane;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unmanaged mode against the real control plane: the tenant agent runs as a process with the
 * identity its Helm chart gives it (RBAC enforced by the API server), pulls its configuration from
 * the running service with an agent token and takes the virtual node over when the owner switches
 * the cluster to unmanaged; the switch back hands it to the service again. Nothing is recreated
 * either way, and pods keep running while the service is down.
 */
@RequiresControlPlane
class AgentE2E {

  private static final Logger LOG = LoggerFactory.getLogger(AgentE2E.class);

  private static Product product;
  private static ServiceProcess agent;
  private static Pods pods;

  @BeforeAll
  static void start() {
    product =
        Product.builder("agent").service(Map.of("vnode.agent.heartbeat-period", "2s")).start();
    pods = new Pods(product.kube());
    agent = TenantAgent.start(product);
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
    if (product != null) {
      product.close();
    }
  }

  @Test
  void theAgentTakesTheNodeOverWithTheChartsPermissionsAndHandsItBackRecreatingNothing() {
    Pod before = create("before");
    String beforeInstance = Pods.instanceOf(pods.awaitRunning("default", "before"));
    await("the agent's first heartbeat")
        .atMost(Product.DEADLINE)
        .until(() -> product.status().getString("agent.holder") != null);

    // What a pod would notice: its node or itself going NotReady at any sampled instant.
    List<String> notReady = new CopyOnWriteArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleWithFixedDelay(() -> sampleReadiness(notReady), 0, 200, TimeUnit.MILLISECONDS);

    long toUnmanaged = switched("unmanaged");
    JsonPath unmanaged =
        await("the agent's report of a Ready node")
            .atMost(Product.DEADLINE)
            .until(product::status, s -> Boolean.TRUE.equals(s.get("nodeReady")));
    assertThat(unmanaged.getString("owner"))
        .startsWith(TenantAgent.HOLDER_PREFIX + product.clusterId());

    Pod during = create("during");
    String duringInstance = Pods.instanceOf(pods.awaitRunning("default", "during"));
    // Deleting a pod deletes its instance, under the chart's permissions too.
    create("gone");
    String goneInstance = Pods.instanceOf(pods.awaitRunning("default", "gone"));
    product.kube().pods().inNamespace("default").withName("gone").delete();
    await("the deleted pod's removal")
        .atMost(Product.DEADLINE)
        .until(() -> product.kube().pods().inNamespace("default").withName("gone").get() == null);
    assertThat(product.calls().deletesOf(goneInstance)).hasSize(1);

    // The service goes away: the agent runs on, and places a new pod.
    product.service().stop();
    Pod outage = create("outage");
    String outageInstance = Pods.instanceOf(pods.awaitRunning("default", "outage"));
    product.service().start();
    await("the agent's heartbeat after the outage")
        .atMost(Product.DEADLINE)
        .until(() -> "unmanaged".equals(product.status().getString("state")));

    long toManaged = switched("managed");
    sampler.shutdownNow();
    assertThat(notReady).as("NotReady while the node changed hands").isEmpty();
    assertThat(product.status().getString("owner")).isEqualTo("e2e-replica");
    Pod after = create("after");
    pods.awaitRunning("default", "after");

    for (Pod pod : List.of(before, during, outage, after)) {
      assertThat(product.calls().createsOf(pod.getMetadata().getUid()))
          .as("creates of %s", pod.getMetadata().getName())
          .hasSize(1);
    }
    Map<String, String> instances =
        Map.of("before", beforeInstance, "during", duringInstance, "outage", outageInstance);
    instances.forEach(
        (name, instance) ->
            assertThat(Pods.instanceOf(pods.awaitRunning("default", name)))
                .as("%s keeps its instance", name)
                .isEqualTo(instance));
    JsonPath audit =
        product
            .asTenant()
            .queryParam("targetId", product.clusterId())
            .get("/api/v1/audit")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(audit.getList("findAll { it.action == 'cluster.handoff-finished' }.details.toMode"))
        .containsExactly("managed", "unmanaged");
    LOG.info("handoff to unmanaged {} ms, back to managed {} ms", toUnmanaged, toManaged);
  }

  private static void sampleReadiness(List<String> notReady) {
    try {
      Node node = product.kube().nodes().withName(Product.NODE).get();
      if (!Product.ready(node)) {
        notReady.add("node at " + Instant.now());
      }
      Pod before = product.kube().pods().inNamespace("default").withName("before").get();
      boolean podReady =
          before.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!podReady) {
        notReady.add("pod before at " + Instant.now());
      }
    } catch (RuntimeException e) {
      notReady.add("unreadable at " + Instant.now() + ": " + e);
    }
  }

  /** Switches the mode; returns how long the handoff took, as the status says. */
  private static long switched(String mode) {
    JsonPath done = product.switchMode(mode);
    assertThat(done.getString("state")).isEqualTo(mode.equals("managed") ? "running" : mode);
    return done.getLong("handoff.durationMillis");
  }

  private static Pod create(String name) {
    return product
        .kube()
        .pods()
        .inNamespace("default")
        .resource(Pods.selected(name, Map.of()))
        .create();
  }
}
