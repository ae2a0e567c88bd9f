package io.eci.vnode.sandbox.eci.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The benchmark at a smoke size: it runs end to end without errors and reports figures. */
class EciSandboxBenchmarkSmokeIT {

  private static final Logger LOG = LoggerFactory.getLogger(EciSandboxBenchmarkSmokeIT.class);

  @Test
  void theBenchmarkRunsWithoutErrorsAndReportsFigures() throws Exception {
    var result = EciSandboxBenchmark.run(300, 10, 2, Duration.ofMillis(500));
    LOG.info("ECI sandbox benchmark (smoke size): {}", result.markdown());
    assertThat(result.errors()).isZero();
    assertThat(result.createsPerSecond()).isPositive();
    assertThat(result.describeByTagPerSecond()).isPositive();
    assertThat(result.describeByIdsPerSecond()).isPositive();
    assertThat(result.rawDescribeByTagPerSecond()).isPositive();
  }
}
