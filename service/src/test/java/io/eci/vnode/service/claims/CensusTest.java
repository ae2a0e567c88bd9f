package io.eci.vnode.service.claims;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CensusTest {

  @Test
  void theFairShareRoundsUp() {
    assertThat(new Census(3, 10).fairShare()).isEqualTo(4);
    assertThat(new Census(2, 10).fairShare()).isEqualTo(5);
    assertThat(new Census(4, 1).fairShare()).isEqualTo(1);
  }

  @Test
  void aReplicaThatHasNotRenewedYetCountsItselfAlive() {
    assertThat(new Census(0, 7).fairShare()).isEqualTo(7);
  }

  @Test
  void noManagedClustersMeansNothingToClaim() {
    assertThat(new Census(3, 0).fairShare()).isZero();
  }
}
