package io.eci.vnode.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AllowedMethodsTest {

  @Test
  void matchesAPathParameterAsOneSegment() {
    String regex = AllowedMethods.regex("/api/v1/clusters/{id}/pods");

    assertThat("/api/v1/clusters/abc/pods").matches(regex);
    assertThat("/api/v1/clusters/a/b/pods").doesNotMatch(regex);
  }

  @Test
  void matchesATemplateWithoutParametersLiterally() {
    assertThat("/api/v1/clusters").matches(AllowedMethods.regex("/api/v1/clusters"));
    assertThat("/api/v1/clustersX").doesNotMatch(AllowedMethods.regex("/api/v1/clusters"));
  }
}
