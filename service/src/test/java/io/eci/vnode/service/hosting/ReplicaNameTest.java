package io.eci.vnode.service.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A replica's default name stays the same across restarts: the pod's name, else the host's. */
class ReplicaNameTest {

  @Test
  void aReplicaInAPodIsNamedAfterThePod() {
    assertThat(ReplicaName.byDefault(Map.of("HOSTNAME", "vnode-service-1")))
        .isEqualTo("vnode-service-1");
  }

  @Test
  void withoutAPodNameTheReplicaIsNamedAfterTheHostTheSameEachTime() {
    String first = ReplicaName.byDefault(Map.of());
    String again = ReplicaName.byDefault(Map.of("HOSTNAME", " "));

    assertThat(first).isNotBlank().isEqualTo(again);
  }
}
