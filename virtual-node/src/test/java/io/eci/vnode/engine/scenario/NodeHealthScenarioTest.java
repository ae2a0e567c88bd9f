package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node says when ECI cannot be used, and why; the status snapshot says the same to the hosts.
 */
class NodeHealthScenarioTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private Cluster cluster;
  private KubernetesClient client;
  private EciSandbox eci;
  private VirtualNode node;

  @BeforeEach
  void start() {
    cluster = Cluster.forTests(getClass().getSimpleName());
    client = cluster.client();
    eci = Engines.eci();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
        .create();
    node = Engines.engine(client, eci, "engine-a", List.of("vsw-b")).start();
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (node != null) {
      node.close();
    }
    if (eci != null) {
      eci.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anUnreachableEciMakesTheNodeNotReadyWithTheReasonUntilItAnswersAgain() {
    client.pods().inNamespace("shop").resource(TestPods.labelled("web")).create();
    await()
        .atMost(DEADLINE)
        .until(() -> node.status().podsByPhase().getOrDefault("Running", 0L) == 1L);
    assertThat(node.status().nodeReady()).isTrue();

    eci.faults().serverErrors(1.0);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              NodeCondition ready = ready();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("EciUnreachable");
            });
    VirtualNode.Status failing = node.status();
    assertThat(failing.nodeReady()).isFalse();
    assertThat(failing.lastError())
        .hasValueSatisfying(e -> assertThat(e).contains("ServiceUnavailable"));
    assertThat(failing.eciErrors()).containsKey("ServiceUnavailable");
    assertThat(failing.eciCalls()).containsKeys("create", "statusByTag");

    eci.faults().serverErrors(0);
    await().atMost(DEADLINE).until(() -> "True".equals(ready().getStatus()));
    assertThat(node.status().nodeReady()).isTrue();
  }

  private NodeCondition ready() {
    return client.nodes().withName(node.nodeName()).get().getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow();
  }
}
