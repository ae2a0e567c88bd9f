package io.eci.vnode.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The hosted engine's identity in the ownership Lease, and which earlier terms it recognises. */
class LeaseHolderTest {

  private static final String CLUSTER = "0b9e6f3c-1d2a-4c1b-9d1e-5a8f0c3b2e71";

  @Test
  void theIdentityNamesReplicaRegistrationAndTermAndReadsBack() {
    LeaseHolder holder = new LeaseHolder("vnode-0", CLUSTER, 7);

    assertThat(holder.identity()).isEqualTo("vnode-0/" + CLUSTER + "/7");
    assertThat(LeaseHolder.parse(holder.identity())).contains(holder);
  }

  @Test
  void aReplicaNameWithSlashesIsReadFromTheRight() {
    assertThat(LeaseHolder.parse("zone-a/vnode-0/" + CLUSTER + "/3"))
        .contains(new LeaseHolder("zone-a/vnode-0", CLUSTER, 3));
  }

  @Test
  void anyOtherHolderIsNotAHostedEngine() {
    assertThat(LeaseHolder.parse("vnode-0")).isEmpty();
    assertThat(LeaseHolder.parse("tenant-agent-5f7c")).isEmpty();
    assertThat(LeaseHolder.parse("vnode-0/" + CLUSTER + "/latest")).isEmpty();
    assertThat(LeaseHolder.parse("/" + CLUSTER + "/1")).isEmpty();
    assertThat(LeaseHolder.parse("")).isEmpty();
    assertThat(LeaseHolder.parse(null)).isEmpty();
  }

  @Test
  void onlyTheSameReplicaAndRegistrationWithALowerTermIsAnEarlierTerm() {
    LeaseHolder now = new LeaseHolder("vnode-0", CLUSTER, 7);

    assertThat(new LeaseHolder("vnode-0", CLUSTER, 6).isEarlierTermOf(now)).isTrue();
    assertThat(new LeaseHolder("vnode-0", CLUSTER, 7).isEarlierTermOf(now)).isFalse();
    assertThat(new LeaseHolder("vnode-0", CLUSTER, 8).isEarlierTermOf(now)).isFalse();
    assertThat(new LeaseHolder("vnode-1", CLUSTER, 6).isEarlierTermOf(now)).isFalse();
    assertThat(new LeaseHolder("vnode-0", "another-cluster", 6).isEarlierTermOf(now)).isFalse();
  }
}
