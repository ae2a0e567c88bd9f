package io.eci.vnode.engine.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpansionTest {

  private static final Map<String, String> VALUES = Map.of("HOST", "db", "PORT", "5432");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "$(HOST):$(PORT)            | db:5432",
        "no references              | no references",
        "$$(HOST) is escaped        | $(HOST) is escaped",
        "$$ is one dollar           | $ is one dollar",
        "$(MISSING) stays           | $(MISSING) stays",
        "$(HOST                     | $(HOST",
        "$HOST is no reference      | $HOST is no reference",
        "a trailing $               | a trailing $",
        "$()                        | $()",
        "$$$(PORT)                  | $5432",
      })
  void expandsAsTheKubeletDoes(String input, String expanded) {
    assertThat(Expansion.expand(input, VALUES::get)).isEqualTo(expanded);
  }
}
