package io.eci.vnode.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engine benchmark at a smoke size: every pod runs and figures come out. */
class EngineBenchmarkSmokeIT {

  @Test
  void theBenchmarkRunsEveryPodAndReportsFigures() throws Exception {
    var result = EngineBenchmark.run(40, 0, Duration.ofMillis(300));
    System.out.println("engine benchmark (smoke size): " + result.markdown());
    assertThat(result.mutatingCallsPerPod()).isEqualTo(1.0);
    assertThat(result.boundToCreateP99Ms()).isPositive();
    assertThat(result.runningToPodRunningP99Ms()).isNotNaN();
    assertThat(result.statusCallsPer100PodsPerPoll()).isPositive();
  }
}
