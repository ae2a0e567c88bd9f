package io.eci.vnode.service.clusterstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PodCountsTest {

  @Test
  void takesTheFourPhasesOfAnEnginesPhaseMap() {
    assertThat(PodCounts.fromPhases(Map.of("Running", 3L, "Failed", 1L, "Unknown", 9L)))
        .isEqualTo(new PodCounts(0, 3, 0, 1));
  }
}
