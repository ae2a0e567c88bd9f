package io.eci.vnode.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusReportTest {

  @Test
  void carriesEveryFieldOfTheContractWithNullsSpelledOut() {
    String json =
        new StatusReport(
                "0.1.0-SNAPSHOT",
                "agent-a/c/7",
                null,
                "virtual-kubelet-cn-hangzhou-a",
                true,
                Map.of("Running", 3L),
                null,
                null,
                7L)
            .json();
    assertThat(json)
        .contains("\"agentVersion\":\"0.1.0-SNAPSHOT\"")
        .contains("\"holder\":\"agent-a/c/7\"")
        .contains("\"owner\":null")
        .contains("\"nodeName\":\"virtual-kubelet-cn-hangzhou-a\"")
        .contains("\"nodeReady\":true")
        .contains("\"podsByPhase\":{\"Running\":3}")
        .contains("\"lastError\":null")
        .contains("\"leaseAcquiredAt\":null")
        .contains("\"configVersion\":7");
  }
}
