package io.eci.vnode.service.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTokensTest {

  @Test
  void readsBackThePositionItEncoded() {
    String token = PageTokens.encode(List.of("default", "web-0", "uid-1"));

    assertThat(PageTokens.decode(token, 3)).containsExactly("default", "web-0", "uid-1");
  }

  @Test
  void readsNoTokenAsTheFirstPage() {
    assertThat(PageTokens.decode(null, 1)).isNull();
  }

  @Test
  void refusesBase64ThatIsNotOneOfItsTokens() {
    assertThatThrownBy(() -> PageTokens.decode("zzz", 1)).isInstanceOf(ApiProblem.class);
  }

  @Test
  void refusesATokenThatIsNotBase64() {
    assertThatThrownBy(() -> PageTokens.decode("%%%", 1)).isInstanceOf(ApiProblem.class);
  }

  @Test
  void refusesATokenWithTheWrongNumberOfParts() {
    String token = PageTokens.encode(List.of("a", "b"));

    assertThatThrownBy(() -> PageTokens.decode(token, 3)).isInstanceOf(ApiProblem.class);
  }

  @Test
  void refusesAMarkedTokenThatIsNotUtf8() {
    byte[] marker = "vnode-page:".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = Arrays.copyOf(marker, marker.length + 1);
    bytes[marker.length] = (byte) 0xff;
    String token = Base64.getUrlEncoder().encodeToString(bytes);

    assertThatThrownBy(() -> PageTokens.decode(token, 1)).isInstanceOf(ApiProblem.class);
  }
}
