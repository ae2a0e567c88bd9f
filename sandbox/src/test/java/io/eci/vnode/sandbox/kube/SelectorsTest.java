package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SelectorsTest {

  private static final JsonNode POD =
      Json.parse(
          """
          {"metadata":{"name":"web","namespace":"vk","labels":{"app":"web","tier":"front"}},
           "spec":{"nodeName":"virtual-kubelet"},"status":{"phase":"Running"}}
          """,
          false);

  @Test
  void labelSelectorSupportsEqualitySetAndExistence() {
    assertThat(labels("app=web,tier==front")).isTrue();
    assertThat(labels("app!=web")).isFalse();
    assertThat(labels("app in (api, web),tier notin (back)")).isTrue();
    assertThat(labels("app notin (web)")).isFalse();
    assertThat(labels("tier")).isTrue();
    assertThat(labels("!tier")).isFalse();
    assertThat(labels("!missing,missing!=x")).isTrue();
    assertThat(labels("")).isTrue();
  }

  @Test
  void fieldSelectorComparesFieldsAsStringsWithEmptyForMissing() {
    assertThat(fields("spec.nodeName=virtual-kubelet,status.phase!=Failed")).isTrue();
    assertThat(fields("spec.nodeName==virtual-kubelet,metadata.namespace=vk,metadata.name=web"))
        .isTrue();
    assertThat(fields("spec.nodeName=")).isFalse();
    assertThat(fields("spec.nodeName!=")).isTrue();
    assertThat(fields("status.nominatedNodeName=")).isTrue();
    assertThat(fields("spec.hostNetwork=false")).isTrue();
  }

  @Test
  void unsupportedFieldsAndMalformedTermsAreRejected() {
    assertThatThrownBy(() -> fields("spec.containers=x")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> fields("spec.nodeName")).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> LabelSelector.parse("a in (b")).isInstanceOf(ApiException.class);
  }

  private static boolean labels(String selector) {
    return LabelSelector.parse(selector).matches(POD);
  }

  private static boolean fields(String selector) {
    return FieldSelector.parse(selector, ResourceTypes.PODS).matches(POD);
  }
}
