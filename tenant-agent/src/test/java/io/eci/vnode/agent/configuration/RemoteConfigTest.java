package io.eci.vnode.agent.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RemoteConfigTest {

  static final String DOCUMENTED =
      """
      {"clusterId":"c-1","version":7,"mode":"unmanaged","paused":false,"region":"cn-hangzhou",
       "vSwitchIds":["vsw-a"],"securityGroupId":"sg-1","kubeProxy":true,
       "eci":{"credentials":{"type":"sts","accessKeyId":"STS.id","accessKeySecret":"s3cret",
              "securityToken":"tok","expiresAt":"2026-12-08T01:00:00Z"}},
       "statusPeriodMillis":500,"heartbeatSeconds":10,"aFieldOfANewerService":1}
      """;

  @Test
  void readsTheDocumentedBodyAndIgnoresFieldsItDoesNotKnow() {
    RemoteConfig config = RemoteConfig.parse(DOCUMENTED);
    assertThat(config.version()).isEqualTo(7);
    assertThat(config.runsEngine()).isTrue();
    assertThat(config.vSwitchIds()).containsExactly("vsw-a");
    assertThat(config.credentials().orElseThrow().securityToken()).isEqualTo("tok");
    assertThat(config.heartbeatSecondsOrDefault()).isEqualTo(10);
  }

  @Test
  void neverShowsTheSecretWhenPrinted() {
    RemoteConfig config = RemoteConfig.parse(DOCUMENTED);
    assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("tok");
    assertThat(config.credentials().orElseThrow().toString()).doesNotContain("s3cret");
  }

  @Test
  void aManagedOrPausedConfigurationRunsNoEngine() {
    assertThat(RemoteConfig.parse(DOCUMENTED.replace("\"unmanaged\"", "\"managed\"")).runsEngine())
        .isFalse();
    assertThat(
            RemoteConfig.parse(DOCUMENTED.replace("\"paused\":false", "\"paused\":true"))
                .runsEngine())
        .isFalse();
  }

  @Test
  void anUnmanagedConfigurationWithoutVSwitchesIsRefused() {
    assertThatThrownBy(() -> RemoteConfig.parse(DOCUMENTED.replace("[\"vsw-a\"]", "[]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vSwitchIds");
  }

  @Test
  void newCredentialsOfTheSameKindKeepTheEngineShapeWhileNewVSwitchesChangeIt() {
    RemoteConfig config = RemoteConfig.parse(DOCUMENTED);
    RemoteConfig rotated =
        RemoteConfig.parse(DOCUMENTED.replace("s3cret", "n3w").replace(":7,", ":8,"));
    RemoteConfig moved = RemoteConfig.parse(DOCUMENTED.replace("vsw-a", "vsw-b"));
    assertThat(rotated.shape()).isEqualTo(config.shape());
    assertThat(moved.shape()).isNotEqualTo(config.shape());
  }

  @Test
  void noCredentialsMeanTheClustersOwnSecret() {
    RemoteConfig config =
        RemoteConfig.parse(DOCUMENTED.replaceAll("(?s)\"eci\":\\{.*?\\}\\},", "\"eci\":{},"));
    assertThat(config.credentials()).isEmpty();
  }
}
