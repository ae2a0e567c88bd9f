package io.eci.vnode.engine.selection;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectionTest {

  private static final String SELECTORS =
      """
      [{"name":"batch","namespaceSelector":{"matchLabels":{"team":"data"}},"objectSelector":{"matchLabels":{"tier":"batch"}},
        "effect":{"labels":{"cost-center":"eci"},"annotations":{"k8s.aliyun.com/eci-spot-strategy":"SpotAsPriceGo"}}},
       {"name":"everyone","effect":{"labels":{"runs-on":"eci","tier":"ignored-existing"}}}]
      """;

  private final EciProfile profile =
      EciProfile.parse(
              new ConfigMapBuilder()
                  .addToData("selectors", SELECTORS)
                  .addToData("vSwitchIds", "vsw-a,vsw-b")
                  .build())
          .profile()
          .orElseThrow();

  @Test
  void selectsAPodByItsLabel() {
    var decision =
        Selection.decide(pod(Map.of("alibabacloud.com/eci", "true")), Map.of(), EciProfile.empty());
    assertThat(decision).hasValueSatisfying(d -> assertThat(d.because()).isEqualTo("pod-label"));
  }

  @Test
  void selectsAPodByItsNamespacesLabel() {
    var decision =
        Selection.decide(pod(Map.of()), Map.of("alibabacloud.com/eci", "true"), EciProfile.empty());
    assertThat(decision)
        .hasValueSatisfying(d -> assertThat(d.because()).isEqualTo("namespace-label"));
  }

  @Test
  void selectsAPodByAProfileSelectorAndAppliesItsEffectWithoutOverwriting() {
    var decision = Selection.decide(pod(Map.of("tier", "batch")), Map.of("team", "data"), profile);
    assertThat(decision)
        .hasValueSatisfying(
            d -> {
              assertThat(d.because()).isEqualTo("selector:batch");
              assertThat(d.labels())
                  .containsOnly(Map.entry("cost-center", "eci"), Map.entry("runs-on", "eci"));
              assertThat(d.annotations())
                  .containsOnly(Map.entry("k8s.aliyun.com/eci-spot-strategy", "SpotAsPriceGo"));
            });
  }

  @Test
  void leavesOtherPodsAlone() {
    assertThat(Selection.decide(pod(Map.of("tier", "batch")), Map.of("team", "web"), profile))
        .isEmpty();
    assertThat(Selection.decide(pod(Map.of()), Map.of(), profile)).isEmpty();
  }

  @Test
  void neverTakesADaemonSetPod() {
    Pod daemon =
        new PodBuilder(pod(Map.of("alibabacloud.com/eci", "true")))
            .editMetadata()
            .addNewOwnerReference()
            .withKind("DaemonSet")
            .withName("d")
            .withApiVersion("apps/v1")
            .withUid("u")
            .endOwnerReference()
            .endMetadata()
            .build();
    assertThat(Selection.decide(daemon, Map.of(), EciProfile.empty())).isEmpty();
  }

  @Test
  void refusesAMalformedProfileWholeWithItsProblems() {
    var parsed =
        EciProfile.parse(
            new ConfigMapBuilder()
                .addToData("vSwitchIds", "vsw-a,subnet-b")
                .addToData("enableClusterIp", "yes")
                .addToData("selectors", "[{\"objectSelector\":{\"matchLabels\":{\"a\":1}}}]")
                .build());
    assertThat(parsed.profile()).isEmpty();
    assertThat(parsed.problems())
        .containsExactlyInAnyOrder(
            "vSwitchIds: 'subnet-b' is not a vSwitch id",
            "enableClusterIp: must be \"true\" or \"false\"",
            "selectors[0]: name is required",
            "selectors[0].objectSelector.a: must be a string");
  }

  @Test
  void readsTheProfilesOverrides() {
    assertThat(profile.vSwitchIds()).contains(List.of("vsw-a", "vsw-b"));
    assertThat(profile.securityGroupId()).isEmpty();
  }

  private static Pod pod(Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withNamespace("ns")
        .withLabels(labels)
        .addToLabels("tier", labels.getOrDefault("tier", "web"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("i")
        .endContainer()
        .endSpec()
        .build();
  }
}
