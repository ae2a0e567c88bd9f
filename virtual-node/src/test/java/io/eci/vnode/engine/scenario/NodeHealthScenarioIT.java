package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node says when ECI cannot be used, and why; the status snapshot says the same to the hosts.
 */
class NodeHealthScenarioIT {

  @RegisterExtension
  final EngineFixture fixture = EngineFixture.create().namespace("shop").engine(List.of("vsw-b"));

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void anUnreachableEciMakesTheNodeNotReadyWithTheReasonUntilItAnswersAgain() {
    fixture.client().pods().inNamespace("shop").resource(TestPods.labelled("web")).create();
    await()
        .atMost(DEADLINE)
        .until(() -> fixture.node().status().podsByPhase().getOrDefault("Running", 0L) == 1L);
    assertThat(fixture.node().status().nodeReady()).isTrue();

    fixture.eci().faults().serverErrors(1.0);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              NodeCondition ready = ready();
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("EciUnreachable");
            });
    VirtualNode.Status failing = fixture.node().status();
    assertThat(failing.nodeReady()).isFalse();
    assertThat(failing.lastError())
        .hasValueSatisfying(e -> assertThat(e).contains("ServiceUnavailable"));
    assertThat(failing.eciErrors()).containsKey("ServiceUnavailable");
    assertThat(failing.eciCalls()).containsKeys("create", "statusByTag");

    fixture.eci().faults().serverErrors(0);
    await().atMost(DEADLINE).until(() -> "True".equals(ready().getStatus()));
    assertThat(fixture.node().status().nodeReady()).isTrue();
  }

  private NodeCondition ready() {
    return fixture
        .client()
        .nodes()
        .withName(fixture.node().nodeName())
        .get()
        .getStatus()
        .getConditions()
        .stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow();
  }
}
