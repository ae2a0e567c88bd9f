package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.Kubectl;
import io.eci.vnode.sandbox.controlplane.RequiresControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workloads as users run them, created by the cluster's own controllers: Deployments, Jobs and
 * StatefulSets whose pods the webhook steers to the virtual node and kube-scheduler binds there.
 * ECI instances take {@value #TERMINATING_SECONDS} s to stop, so a pod that waits for its instance
 * shows it.
 */
@RequiresControlPlane
class WorkloadsE2E {

  private static final int TERMINATING_SECONDS = 6;

  private static Product product;
  private static Kubectl kubectl;
  private static Manifests manifests;
  private static Pods pods;

  @BeforeAll
  static void start() {
    product =
        Product.builder("workloads")
            .eci(eci -> eci.terminating(Duration.ofSeconds(TERMINATING_SECONDS)))
            .start();
    kubectl = product.adminKubectl();
    manifests = new Manifests(product.workDir().resolve("manifests"));
    pods = new Pods(product.kube());
  }

  @AfterAll
  static void stop() {
    if (product != null) {
      product.close();
    }
  }

  @Test
  void aDeploymentsThreePodsRunOnTheVirtualNodeAndItsDeletionDeletesEveryInstance() {
    kubectl.ok("create", "ns", "shop");
    kubectl.ok("apply", "-f", manifests.deployment("shop", "nginx", 3).toString());

    List<Pod> running = pods.awaitRunning("shop", "app", "nginx", 3);
    assertThat(running)
        .allSatisfy(
            p -> {
              // a ReplicaSet's pod: nginx-<template hash>-<suffix>
              assertThat(p.getMetadata().getName()).matches("nginx-[a-z0-9]+-[a-z0-9]{5}");
              assertThat(product.calls().createsOf(p.getMetadata().getUid())).hasSize(1);
            });
    assertThat(running.stream().map(p -> p.getStatus().getPodIP()).collect(Collectors.toSet()))
        .hasSize(3);
    List<String> instances = running.stream().map(Pods::instanceOf).toList();

    assertThat(kubectl.ok("-n", "shop", "delete", "deployment", "nginx"))
        .contains("deployment.apps \"nginx\" deleted");

    pods.awaitNone("shop", "app", "nginx");
    for (String id : instances) {
      assertThat(product.calls().deletesOf(id)).as("deletes of %s", id).hasSize(1);
    }
    assertThat(product.calls().instances())
        .noneSatisfy(g -> assertThat(instances).contains(g.getContainerGroupId()));
  }

  @Test
  void kubectlCreateDeploymentInALabelledNamespaceRunsEveryReplicaOnECI() {
    kubectl.ok("create", "ns", "labelled");
    kubectl.ok("label", "namespace", "labelled", "alibabacloud.com/eci=true");
    assertThat(
            kubectl.ok(
                "-n",
                "labelled",
                "create",
                "deployment",
                "nginx",
                "--image",
                "nginx",
                "--replicas",
                "3"))
        .contains("deployment.apps/nginx created");

    assertThat(pods.awaitRunning("labelled", "app", "nginx", 3)).hasSize(3);
  }

  @Test
  void aJobRunsToCompleteWhenItsInstanceExitsZero() {
    kubectl.ok("create", "ns", "batch");
    kubectl.ok("apply", "-f", manifests.job("batch", "report", 0, 2, 0).toString());

    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(() -> assertThat(conditions(job("batch", "report"))).contains("Complete"));
    List<Pod> jobPods =
        product
            .kube()
            .pods()
            .inNamespace("batch")
            .withLabel("job-name", "report")
            .list()
            .getItems();
    assertThat(jobPods)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(Pods.phase(p)).isEqualTo("Succeeded");
              assertThat(p.getSpec().getNodeName()).isEqualTo(Product.NODE);
              assertThat(product.calls().createsOf(p.getMetadata().getUid())).hasSize(1);
            });
    assertThat(kubectl.ok("-n", "batch", "get", "job", "report")).containsPattern("report\\s+1/1");
  }

  @Test
  void aFailingJobsBackOffMakesNewPodsAndEachRunsAsANewInstance() {
    kubectl.ok("create", "ns", "flaky");
    kubectl.ok("apply", "-f", manifests.job("flaky", "crash", 1, 1, 1).toString());

    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(() -> assertThat(conditions(job("flaky", "crash"))).contains("Failed"));
    List<Pod> attempts =
        product.kube().pods().inNamespace("flaky").withLabel("job-name", "crash").list().getItems();
    assertThat(attempts).hasSize(2).allSatisfy(p -> assertThat(Pods.phase(p)).isEqualTo("Failed"));
    Set<String> instances =
        attempts.stream()
            .peek(p -> assertThat(product.calls().createsOf(p.getMetadata().getUid())).hasSize(1))
            .map(Pods::instanceOf)
            .collect(Collectors.toSet());
    assertThat(instances).hasSize(2).doesNotContainNull();
    assertThat(job("flaky", "crash").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded"));
  }

  @Test
  void aStatefulSetsPodIsReplacedOnlyAfterItsInstanceIsGone() {
    kubectl.ok("create", "ns", "db");
    kubectl.ok("apply", "-f", manifests.statefulSet("db", "pg").toString());
    Pod first = pods.awaitRunning("db", "pg-0");
    String firstInstance = Pods.instanceOf(first);

    kubectl.ok("-n", "db", "delete", "pod", "pg-0", "--wait=false");

    Pod second =
        await()
            .atMost(Product.DEADLINE)
            .until(
                () -> product.kube().pods().inNamespace("db").withName("pg-0").get(),
                p ->
                    p != null
                        && !p.getMetadata().getUid().equals(first.getMetadata().getUid())
                        && Pods.runningOnTheNode(p));
    List<EciCalls.Call> deletes = product.calls().deletesOf(firstInstance);
    assertThat(deletes).hasSize(1);
    Instant firstGone = deletes.get(0).at().plusSeconds(TERMINATING_SECONDS);
    List<EciCalls.Call> creates = product.calls().createsOf(second.getMetadata().getUid());
    assertThat(creates).hasSize(1);
    assertThat(creates.get(0).at())
        .as("the new pg-0's instance is created after the old one is gone")
        .isAfterOrEqualTo(firstGone);
  }

  @Test
  void aDeletedPodStaysTerminatingWhileItsInstanceStopsAndNoLongerThanItsGracePeriod() {
    kubectl.ok("create", "ns", "grace");
    product.awaitServiceAccount("grace");
    kubectl.ok("-n", "grace", "run", "slow", "--image", "nginx", "-l", "alibabacloud.com/eci=true");
    kubectl.ok(
        "-n", "grace", "run", "quick", "--image", "nginx", "-l", "alibabacloud.com/eci=true");
    String slow = Pods.instanceOf(pods.awaitRunning("grace", "slow"));
    String quick = Pods.instanceOf(pods.awaitRunning("grace", "quick"));

    // The default grace period (30 s) outlasts the instance's stop: the pod goes when it has
    // stopped.
    Instant deleted = Instant.now();
    kubectl.ok("-n", "grace", "delete", "pod", "slow", "--wait=false");
    await()
        .atMost(Product.DEADLINE)
        .until(() -> product.kube().pods().inNamespace("grace").withName("slow").get() == null);
    Duration slowTook = Duration.between(deleted, Instant.now());
    assertThat(slowTook)
        .isGreaterThanOrEqualTo(Duration.ofSeconds(TERMINATING_SECONDS))
        .isLessThan(Duration.ofSeconds(30));
    assertThat(product.calls().deletesOf(slow)).hasSize(1);

    // A grace period shorter than the stop ends the pod's wait; the instance still stops.
    deleted = Instant.now();
    kubectl.ok("-n", "grace", "delete", "pod", "quick", "--grace-period=2", "--wait=false");
    await()
        .atMost(Product.DEADLINE)
        .until(() -> product.kube().pods().inNamespace("grace").withName("quick").get() == null);
    Duration quickTook = Duration.between(deleted, Instant.now());
    assertThat(quickTook)
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(TERMINATING_SECONDS));
    assertThat(product.calls().deletesOf(quick)).hasSize(1);
  }

  private static Job job(String namespace, String name) {
    return product.kube().batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  private static List<String> conditions(Job job) {
    return job == null || job.getStatus() == null
        ? List.of()
        : job.getStatus().getConditions().stream()
            .filter(c -> "True".equals(c.getStatus()))
            .map(c -> c.getType())
            .toList();
  }
}
