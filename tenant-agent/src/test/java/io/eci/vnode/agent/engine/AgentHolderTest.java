package io.eci.vnode.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.engine.node.LeaseHolder;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentHolderTest {

  static RemoteConfig config(long version) {
    return new RemoteConfig(
        "c-1",
        version,
        "unmanaged",
        false,
        "cn-hangzhou",
        List.of("vsw-a"),
        "sg-1",
        true,
        null,
        null,
        null);
  }

  @Test
  void theHolderNamesTheAgentsReplicaTheClusterAndTheConfigurationVersion() {
    assertThat(AgentHolder.of("agent-pod-1", config(7)).identity())
        .isEqualTo("agent-agent-pod-1/c-1/7");
  }

  @Test
  void eachConfigurationVersionIsANewHolder() {
    assertThat(AgentHolder.of("pod", config(7))).isNotEqualTo(AgentHolder.of("pod", config(8)));
  }

  @Test
  void anAgentsHolderIsRecognisedAndTheServicesIsNot() {
    assertThat(AgentHolder.isAgentOf("agent-pod/c-1/7", "c-1")).isTrue();
    assertThat(AgentHolder.isAgentOf("agent-pod/c-2/7", "c-1")).isFalse();
    assertThat(AgentHolder.isAgentOf(new LeaseHolder("vnode-0", "c-1", 3).identity(), "c-1"))
        .isFalse();
    assertThat(AgentHolder.isAgentOf("", "c-1")).isFalse();
  }
}
