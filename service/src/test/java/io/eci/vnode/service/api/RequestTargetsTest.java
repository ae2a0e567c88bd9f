package io.eci.vnode.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestTargetsTest {

  @Test
  void acceptsWellFormedTargets() {
    assertThat(RequestTargets.refusal("/api/v1/clusters?limit=5&pageToken=dm5vZGU%3D")).isEmpty();
    assertThat(RequestTargets.refusal("/api/v1/clusters/%41b/pods")).isEmpty();
    assertThat(RequestTargets.refusal("/webhook/v1/clusters/x/y/mutate?timeout=5s")).isEmpty();
  }

  @Test
  void namesTheQueryParameterWhoseValueIsMalformed() {
    assertThat(named("/api/v1/clusters/1/pods?phase=Running&pageToken=%%%")).contains("pageToken");
    assertThat(named("/api/v1/clusters?limit=%G1")).contains("limit");
    assertThat(named("/api/v1/audit?targetId=50%")).contains("targetId");
  }

  @Test
  void namesTheQueryParameterByItsDecodedName() {
    assertThat(named("/api/v1/clusters?page%54oken=%zz")).contains("pageToken");
  }

  @Test
  void namesTheQueryWhenAParameterNameIsMalformed() {
    assertThat(named("/api/v1/clusters?page%Token=x")).contains("query");
  }

  @Test
  void namesThePathWhenItIsMalformed() {
    assertThat(named("/api/v1/clusters/%zz/pods?pageToken=%%%")).contains("path");
    assertThat(named("/api/v1/clusters/a b")).contains("path");
  }

  @Test
  void namesTheParameterHoldingACharacterThatMustBeEncoded() {
    assertThat(named("/api/v1/clusters?name=a b")).contains("name");
  }

  private static Optional<String> named(String target) {
    return RequestTargets.refusal(target)
        .map(p -> p.toProblem("/", null))
        .map(p -> p.invalidParams().get(0).name());
  }
}
