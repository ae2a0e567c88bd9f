package io.eci.vnode.service.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StrictParamsTest {

  @Test
  void readsOnlyTrueAndFalseAsBooleans() {
    assertThat(StrictParams.parseBoolean("true")).isEqualTo(true);
    assertThat(StrictParams.parseBoolean("false")).isEqualTo(false);
    assertThatThrownBy(() -> StrictParams.parseBoolean("yes"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StrictParams.parseBoolean("1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
