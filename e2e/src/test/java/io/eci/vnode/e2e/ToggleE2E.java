package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.sandbox.controlplane.RequiresControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switch of mode under load: N pods run in managed mode, then the cluster is switched to
 * unmanaged and back R times while pods are created and deleted all along. Every pod keeps its
 * instance (none recreated), none gets two, every instance left belongs to a live pod, every new
 * pod runs, and the ownership Lease only ever names the service's engine or the agent's. CI runs it
 * with {@value #DEFAULT_PODS} pods and {@value #DEFAULT_ROUNDS} rounds; {@code
 * -Dvnode.e2e.toggle.pods=50 -Dvnode.e2e.toggle.rounds=10} is the full size. The handoff times
 * (from their audit entries) go to the log and to {@code target/e2e/toggle/figures.txt}.
 */
@RequiresControlPlane
class ToggleE2E {

  private static final Logger LOG = LoggerFactory.getLogger(ToggleE2E.class);
  private static final int DEFAULT_PODS = 8;
  private static final int DEFAULT_ROUNDS = 2;
  private static final String NAMESPACE = "toggle";
  private static final String SERVICE_HOLDER = "e2e-replica/";
  private static final String AGENT_HOLDER = TenantAgent.HOLDER_PREFIX;

  private static Product product;
  private static ServiceProcess agent;
  private static Pods pods;

  @BeforeAll
  static void start() {
    product =
        Product.builder("toggle").service(Map.of("vnode.agent.heartbeat-period", "2s")).start();
    pods = new Pods(product.kube());
    agent = TenantAgent.start(product);
    await("the agent's first heartbeat")
        .atMost(Product.DEADLINE)
        .until(() -> product.status().getString("agent.holder") != null);
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
  void switchingBackAndForthUnderLoadRecreatesNothingDuplicatesNothingAndLeavesNothing()
      throws IOException {
    int count = Integer.getInteger("vnode.e2e.toggle.pods", DEFAULT_PODS);
    int rounds = Integer.getInteger("vnode.e2e.toggle.rounds", DEFAULT_ROUNDS);
    product.createNamespace(NAMESPACE, Map.of());
    IntStream.range(0, count).forEach(i -> create("steady-" + i, "steady"));
    Map<String, String> instances = new HashMap<>();
    for (Pod pod : pods.awaitRunning(NAMESPACE, "role", "steady", count)) {
      instances.put(pod.getMetadata().getUid(), Pods.instanceOf(pod));
    }

    List<String> holders = new CopyOnWriteArrayList<>();
    Set<String> churned = ConcurrentHashMap.newKeySet();
    List<String> alive = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
    load.scheduleWithFixedDelay(() -> sampleHolder(holders), 0, 200, TimeUnit.MILLISECONDS);
    load.scheduleWithFixedDelay(
        () -> churn(next, alive, churned), 500, 1500, TimeUnit.MILLISECONDS);
    List<Long> handoffs = new ArrayList<>();
    try {
      for (int round = 0; round < rounds; round++) {
        handoffs.add(product.switchMode("unmanaged").getLong("handoff.durationMillis"));
        handoffs.add(product.switchMode("managed").getLong("handoff.durationMillis"));
      }
    } finally {
      load.shutdownNow();
    }

    // Every steady pod runs on the instance it had before the first switch.
    for (Pod pod : pods.awaitRunning(NAMESPACE, "role", "steady", count)) {
      assertThat(Pods.instanceOf(pod))
          .as("instance of %s", pod.getMetadata().getName())
          .isEqualTo(instances.get(pod.getMetadata().getUid()));
      assertThat(product.calls().createsOf(pod.getMetadata().getUid())).hasSize(1);
    }
    // Every pod of the churn that is still there runs; none got two instances.
    List<Pod> left = pods.awaitRunning(NAMESPACE, "role", "churn", alive.size());
    assertThat(left)
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(alive);
    // A pod created just before a handoff may be asked for again by the new side (it saw no
    // instance recorded on the pod yet): with the same ClientToken, which ECI answers with the same
    // instance. Two tokens for one pod would be two instances.
    int repeated = 0;
    for (String uid : churned) {
      List<EciCalls.Call> creates = product.calls().createsOf(uid);
      assertThat(creates.stream().map(c -> c.param("ClientToken")).distinct())
          .as("ClientTokens of %s", uid)
          .hasSizeLessThanOrEqualTo(1);
      repeated += Math.max(0, creates.size() - 1);
    }
    // No orphan: once the deleted pods' instances are gone, every instance belongs to a live pod.
    await("no instance without its pod")
        .atMost(Product.DEADLINE)
        .untilAsserted(
            () ->
                assertThat(
                        product.calls().instances().stream()
                            .map(g -> g.getContainerGroupId())
                            .collect(Collectors.toSet()))
                    .isEqualTo(product.instancesOfLivePods()));
    assertThat(holders)
        .as("the ownership Lease names only the service's engine or the agent's")
        .allMatch(h -> h.isEmpty() || h.startsWith(SERVICE_HOLDER) || h.startsWith(AGENT_HOLDER));
    assertThat(new HashSet<>(holders).stream().anyMatch(h -> h.startsWith(AGENT_HOLDER))).isTrue();

    List<Long> sorted = handoffs.stream().sorted().toList();
    String figures =
        String.format(
            "pods %d, rounds %d, churned %d (repeated idempotent creates %d), handoffs %d:"
                + " p50 %d ms, max %d ms, all %s%n",
            count,
            rounds,
            churned.size(),
            repeated,
            handoffs.size(),
            sorted.get(sorted.size() / 2),
            sorted.get(sorted.size() - 1),
            handoffs);
    LOG.info("toggle figures: {}", figures.trim());
    Files.createDirectories(product.workDir());
    Files.writeString(product.workDir().resolve("figures.txt"), figures);
  }

  private static void sampleHolder(List<String> holders) {
    try {
      Lease lease =
          product
              .kube()
              .leases()
              .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
              .withName(VirtualNode.OWNERSHIP_LEASE)
              .get();
      String holder = lease == null ? null : lease.getSpec().getHolderIdentity();
      holders.add(holder == null ? "" : holder);
    } catch (RuntimeException e) {
      LOG.warn("could not sample the ownership Lease: {}", e.toString());
    }
  }

  /** Creates a pod, and deletes the oldest one of the churn once there are three. */
  private static void churn(AtomicInteger next, List<String> alive, Set<String> churned) {
    try {
      String name = "churn-" + next.getAndIncrement();
      churned.add(create(name, "churn").getMetadata().getUid());
      alive.add(name);
      if (alive.size() > 3) {
        String oldest = alive.remove(0);
        product.kube().pods().inNamespace(NAMESPACE).withName(oldest).delete();
      }
    } catch (RuntimeException e) {
      LOG.warn("churn step failed: {}", e.toString());
    }
  }

  private static Pod create(String name, String role) {
    return product
        .kube()
        .pods()
        .inNamespace(NAMESPACE)
        .resource(Pods.selected(name, Map.of("role", role)))
        .create();
  }
}
