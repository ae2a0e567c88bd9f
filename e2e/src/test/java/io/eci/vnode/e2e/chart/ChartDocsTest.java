package io.eci.vnode.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guides speak of the chart's real values: docs/deploy.md's table names every value of
 * values.yaml, and every {@code --set} of a guide sets one the chart has.
 */
class ChartDocsTest {

  private static final Path DOCS = Path.of("..", "docs");

  @ParameterizedTest
  @ValueSource(strings = {"deploy.md", "unmanaged-mode.md"})
  void everyValueAGuideSetsIsOneTheChartHas(String guide) throws IOException {
    Set<String> set = setKeys(Files.readString(DOCS.resolve(guide)));
    Set<String> paths = paths(values(), "");

    assertThat(set).as("the guide's --set keys").isNotEmpty();
    assertThat(set).as("values %s sets that values.yaml does not have", guide).isSubsetOf(paths);
  }

  @Test
  void theDeployGuidesTableNamesEveryValueOfTheChartAndNoOther() throws IOException {
    Set<String> table = tableKeys(Files.readString(DOCS.resolve("deploy.md")));
    Map<String, Object> values = values();

    assertThat(table)
        .as("keys of the table values.yaml does not have")
        .isSubsetOf(paths(values, ""));
    assertThat(
            leaves(values, "").stream()
                .filter(leaf -> table.stream().noneMatch(k -> covers(k, leaf)))
                .toList())
        .as("values of values.yaml the table does not name")
        .isEmpty();
  }

  @Test
  void theUnmanagedModeGuideLeavesTheValuesTableToTheDeployGuide() throws IOException {
    String guide = Files.readString(DOCS.resolve("unmanaged-mode.md"));

    assertThat(guide).contains("(deploy.md#values)");
    assertThat(tableKeys(guide)).isEmpty();
  }

  private static boolean covers(String key, String leaf) {
    return leaf.equals(key) || leaf.startsWith(key + ".");
  }

  /** The keys of every {@code --set a=1,b=2} in {@code text}. */
  private static Set<String> setKeys(String text) {
    Set<String> keys = new LinkedHashSet<>();
    Matcher set = Pattern.compile("--set\\s+(\\S+)").matcher(text);
    while (set.find()) {
      for (String assignment : set.group(1).split(",")) {
        int eq = assignment.indexOf('=');
        if (eq > 0) {
          keys.add(assignment.substring(0, eq));
        }
      }
    }
    return keys;
  }

  /** The first column of the table under the heading "Values". */
  private static Set<String> tableKeys(String text) {
    Set<String> keys = new LinkedHashSet<>();
    Matcher section = Pattern.compile("(?ms)^#+ Values\\n(.*?)(?=^#)").matcher(text);
    if (section.find()) {
      Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(section.group(1));
      while (row.find()) {
        keys.add(row.group(1));
      }
    }
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> values() throws IOException {
    return new YAMLMapper()
        .readValue(Files.readString(AgentChart.DIR.resolve("values.yaml")), Map.class);
  }

  /** Every key path, inner ones included ({@code drain}, {@code drain.enabled}). */
  private static Set<String> paths(Map<String, Object> values, String prefix) {
    Set<String> paths = new LinkedHashSet<>();
    values.forEach(
        (k, v) -> {
          paths.add(prefix + k);
          if (v instanceof Map<?, ?> inner) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) inner;
            paths.addAll(paths(map, prefix + k + "."));
          }
        });
    return paths;
  }

  /** The key paths that hold no map of values, or an empty one ({@code nodeSelector}). */
  private static List<String> leaves(Map<String, Object> values, String prefix) {
    List<String> leaves = new ArrayList<>();
    values.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> inner && !inner.isEmpty()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) inner;
            leaves.addAll(leaves(map, prefix + k + "."));
          } else {
            leaves.add(prefix + k);
          }
        });
    return leaves;
  }
}
