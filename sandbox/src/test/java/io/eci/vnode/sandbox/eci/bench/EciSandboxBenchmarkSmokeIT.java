package io.eci.vnode.sandbox.eci.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The benchmark at a smoke size: it runs end to end without errors and reports figures. */
class EciSandboxBenchmarkSmokeIT {

  @Test
  void theBenchmarkRunsWithoutErrorsAndReportsFigures() throws Exception {
    var result = EciSandboxBenchmark.run(300, 10, 2, Duration.ofMillis(500));
    System.out.println("ECI sandbox benchmark (smoke size): " + result.markdown());
    assertThat(result.errors()).isZero();
    assertThat(result.createsPerSecond()).isPositive();
    assertThat(result.describeByTagPerSecond()).isPositive();
    assertThat(result.describeByIdsPerSecond()).isPositive();
    assertThat(result.rawDescribeByTagPerSecond()).isPositive();
  }
}
