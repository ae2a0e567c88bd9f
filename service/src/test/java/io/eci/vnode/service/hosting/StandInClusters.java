package io.eci.vnode.service.hosting;

import static io.eci.vnode.service.Api.as;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.sandbox.kube.KubeSandbox;
import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.EciSandboxTestResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Kubernetes stand-ins registered as managed clusters, for tests of what hosting does with them:
 * the registration body, the waits for a Ready node and a Running pod, and the reads of the status
 * and the ownership Lease. Closing it stops every stand-in it started.
 */
final class StandInClusters implements AutoCloseable {

  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final String NODE = "virtual-kubelet-cn-hangzhou-a";

  /** A registered stand-in cluster. */
  record Registered(TestTenant tenant, String id, KubeSandbox sandbox, KubernetesClient kube) {}

  private final List<KubeSandbox> started = new ArrayList<>();

  /** A new stand-in, not registered yet. */
  KubeSandbox start() {
    KubeSandbox sandbox = KubeSandbox.start();
    started.add(sandbox);
    return sandbox;
  }

  /** A new stand-in registered for {@code tenant} with tenant A's AccessKey, checks skipped. */
  Registered registerUnchecked(TestTenant tenant) {
    KubeSandbox sandbox = start();
    return registerUnchecked(tenant, sandbox, keyA());
  }

  /** {@code sandbox} registered (once more) for {@code tenant}, the checks skipped. */
  Registered registerUnchecked(
      TestTenant tenant, KubeSandbox sandbox, Map<String, String> eciCredentials) {
    String id =
        as(tenant)
            .body(
                body("c-" + UUID.randomUUID().toString().substring(0, 8), sandbox, eciCredentials))
            .post(Api.CLUSTERS_UNCHECKED)
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    return new Registered(tenant, id, sandbox, sandbox.client());
  }

  static Map<String, String> keyA() {
    return Map.of(
        "accessKeyId",
        EciSandboxTestResource.KEY_A,
        "accessKeySecret",
        EciSandboxTestResource.SECRET_A);
  }

  static Map<String, Object> body(
      String name, KubeSandbox sandbox, Map<String, String> eciCredentials) {
    return body(name, sandbox.url(), eciCredentials);
  }

  /** A managed registration of the API server at {@code url}, with the stand-ins' settings. */
  static Map<String, Object> body(String name, String url, Map<String, String> eciCredentials) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("region", "cn-hangzhou");
    body.put("mode", "managed");
    body.put("apiServer", Map.of("url", url, "credentials", Map.of("token", "stand-in-token")));
    body.put(
        "eci",
        Map.of(
            "vSwitchIds",
            List.of("vsw-a", "vsw-b"),
            "securityGroupId",
            "sg-hosting",
            "kubeProxy",
            true,
            "credentials",
            eciCredentials));
    return body;
  }

  static JsonPath status(Registered r) {
    return as(r.tenant())
        .get("/api/v1/clusters/{id}/status", r.id())
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static long version(Registered r) {
    return as(r.tenant())
        .get("/api/v1/clusters/{id}", r.id())
        .then()
        .statusCode(200)
        .extract()
        .<Integer>path("version");
  }

  static String ownershipHolder(KubernetesClient kube) {
    Lease lease =
        kube.leases()
            .inNamespace(VirtualNode.OWNERSHIP_NAMESPACE)
            .withName(VirtualNode.OWNERSHIP_LEASE)
            .get();
    return lease == null || lease.getSpec().getHolderIdentity() == null
        ? ""
        : lease.getSpec().getHolderIdentity();
  }

  static void awaitReadyNode(KubernetesClient kube, Duration within) {
    await()
        .atMost(within)
        .until(
            () -> {
              Node node = kube.nodes().withName(NODE).get();
              return node != null
                  && node.getStatus().getConditions().stream()
                      .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
            });
  }

  static Pod awaitRunning(KubernetesClient kube, String name) {
    return await()
        .atMost(DEADLINE)
        .until(
            () -> kube.pods().inNamespace("default").withName(name).get(),
            p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
  }

  @Override
  public void close() {
    started.forEach(KubeSandbox::close);
  }
}
