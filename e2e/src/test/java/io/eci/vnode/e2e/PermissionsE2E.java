package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.sandbox.Kubectl;
import io.eci.vnode.sandbox.controlplane.RequiresControlPlane;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster's RBAC, enforced: the product works with exactly the permissions its manifest grants
 * (the API server's audit log shows no request of its ServiceAccount refused), and with one taken
 * away it says which in the cluster's status and in an Event on the node, keeps running what it
 * can, and recovers once the permission is back.
 */
@RequiresControlPlane
class PermissionsE2E {

  private static final String USER = "system:serviceaccount:kube-system:eci-virtual-node";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Product product;

  /** When a permission was taken away: refusals then are the point, not a fault. */
  private static final List<Instant[]> restricted = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    product = Product.builder("permissions").controlPlane(c -> c.auditLog(true)).start();
  }

  @AfterAll
  static void stop() {
    if (product != null) {
      product.close();
    }
  }

  @Test
  void withExactlyTheManifestsPermissionsNoRequestOfTheProductIsRefused() {
    Kubectl kubectl = product.adminKubectl();
    product.createNamespace("audited", Map.of("alibabacloud.com/eci", "true"));
    kubectl.ok("-n", "audited", "run", "web", "--image", "nginx", "--env", "MODE=audited");
    new Pods(product.kube()).awaitRunning("audited", "web");
    kubectl.ok("-n", "audited", "delete", "pod", "web");

    List<JsonNode> requests =
        auditedRequestsOf(USER).stream().filter(r -> !duringARestriction(r)).toList();
    assertThat(requests).isNotEmpty();
    assertThat(requests)
        .filteredOn(r -> r.path("responseStatus").path("code").asInt() == 403)
        .as("requests of %s the API server refused", USER)
        .isEmpty();
    assertThat(requests)
        .extracting(r -> r.path("objectRef").path("resource").asText())
        .contains("nodes", "pods", "leases", "events", "mutatingwebhookconfigurations");
  }

  @Test
  void withOnePermissionTakenAwayTheStatusAndAnEventSayWhichAndTheEngineKeepsRunning() {
    ClusterRole granted = product.kube().rbac().clusterRoles().withName("eci-virtual-node").get();
    Lease ownership = ownershipLease();
    product.createNamespace("restricted", Map.of());
    Instant restrictedFrom = Instant.now();
    try {
      product
          .kube()
          .rbac()
          .clusterRoles()
          .resource(without(granted, "pods/status", "patch"))
          .update();

      product
          .adminKubectl()
          .ok(
              "-n",
              "restricted",
              "run",
              "web",
              "--image",
              "nginx",
              "-l",
              "alibabacloud.com/eci=true");

      await()
          .atMost(Product.DEADLINE)
          .untilAsserted(
              () ->
                  assertThat(product.status().getString("lastApiError.message"))
                      .contains("patch pods/status"));
      Event missing =
          await()
              .atMost(Product.DEADLINE)
              .until(() -> nodeEvent("MissingPermissions"), e -> e != null);
      assertThat(missing.getType()).isEqualTo("Warning");
      assertThat(missing.getMessage())
          .contains("patch pods/status")
          .contains("deploy/cluster/eci-virtual-node.yaml");
      // The instance runs; only its status cannot be shown.
      await()
          .atMost(Product.DEADLINE)
          .untilAsserted(
              () -> assertThat(product.calls().instancesOf("restricted", "web")).hasSize(1));
    } finally {
      ClusterRole current = product.kube().rbac().clusterRoles().withName("eci-virtual-node").get();
      product
          .kube()
          .rbac()
          .clusterRoles()
          .resource(
              new ClusterRoleBuilder(granted)
                  .editMetadata()
                  .withResourceVersion(current.getMetadata().getResourceVersion())
                  .endMetadata()
                  .build())
          .update();
      restricted.add(new Instant[] {restrictedFrom, Instant.now().plusSeconds(2)});
    }

    new Pods(product.kube()).awaitRunning("restricted", "web");
    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(() -> assertThat(nodeEvent("PermissionsGranted")).isNotNull());
    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(
            () -> assertThat(product.status().getString("lastApiError.message")).isNull());
    // No crash loop: the same owner held the ownership Lease throughout, never handing it over.
    Lease after = ownershipLease();
    assertThat(after.getSpec().getHolderIdentity())
        .isEqualTo(ownership.getSpec().getHolderIdentity());
    assertThat(after.getSpec().getLeaseTransitions())
        .isEqualTo(ownership.getSpec().getLeaseTransitions());
    assertThat(product.calls().instancesOf("restricted", "web")).hasSize(1);
  }

  private static ClusterRole without(ClusterRole role, String resource, String verb) {
    List<PolicyRule> rules = new ArrayList<>();
    for (PolicyRule rule : role.getRules()) {
      if (rule.getResources().contains(resource)) {
        List<String> verbs = new ArrayList<>(rule.getVerbs());
        verbs.remove(verb);
        if (verbs.isEmpty()) {
          continue;
        }
        rules.add(new PolicyRuleBuilder(rule).withVerbs(verbs).build());
      } else {
        rules.add(rule);
      }
    }
    return new ClusterRoleBuilder(role).withRules(rules).build();
  }

  private static Lease ownershipLease() {
    return product
        .kube()
        .leases()
        .inNamespace("kube-system")
        .withName("eci-virtual-node-controller")
        .get();
  }

  private static Event nodeEvent(String reason) {
    return product.kube().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "Node".equals(e.getInvolvedObject().getKind()))
        .filter(e -> Product.NODE.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .findFirst()
        .orElse(null);
  }

  private static boolean duringARestriction(JsonNode request) {
    Instant at = Instant.parse(request.path("requestReceivedTimestamp").asText());
    return restricted.stream().anyMatch(w -> !at.isBefore(w[0]) && !at.isAfter(w[1]));
  }

  private static List<JsonNode> auditedRequestsOf(String user) {
    try (var lines = Files.lines(product.cluster().auditLog())) {
      return lines
          .map(PermissionsE2E::parse)
          .filter(r -> user.equals(r.path("user").path("username").asText()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
