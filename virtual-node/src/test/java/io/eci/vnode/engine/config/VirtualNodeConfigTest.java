package io.eci.vnode.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VirtualNodeConfigTest {

  @Test
  void readsTheControllersEnvironmentVariables() {
    VirtualNodeConfig config =
        VirtualNodeConfig.fromEnvironment(
            Map.of(
                "ALIYUN_CLUSTERID", "c-123",
                "ECI_REGION", "cn-hangzhou",
                "ECI_VSWITCH", "vsw-a, vsw-b",
                "ECI_SECURITY_GROUP", "sg-1",
                "ECI_ACCESS_KEY", "LTAIkey",
                "ECI_SECRET_KEY", "secret",
                "ECI_QUOTA_POD", "500"));
    assertThat(config.clusterId()).isEqualTo("c-123");
    assertThat(config.vSwitchIds()).containsExactly("vsw-a", "vsw-b");
    assertThat(config.kubeProxy()).isTrue();
    assertThat(config.quota()).isEqualTo(new VirtualNodeConfig.Quota("1000", "4Ti", "500"));
    assertThat(config.credentials()).isEqualTo(new EciCredentials.AccessKey("LTAIkey", "secret"));
    assertThat(config.credentials().toString()).doesNotContain("secret");
  }

  @Test
  void namesEveryMissingOrMalformedVariableAtOnce() {
    assertThatThrownBy(
            () ->
                VirtualNodeConfig.fromEnvironment(
                    Map.of(
                        "ECI_VSWITCH",
                        "subnet-1",
                        "ECI_SECURITY_GROUP",
                        "sg-1",
                        "ECI_KUBE_PROXY",
                        "maybe")))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "ALIYUN_CLUSTERID is required",
                        "ECI_REGION is required",
                        "ECI_VSWITCH: 'subnet-1' is not a vSwitch id (vsw-...)",
                        "ECI_KUBE_PROXY: 'maybe' is not true or false",
                        "ECI_ACCESS_KEY is required",
                        "ECI_SECRET_KEY is required"));
  }
}
