package io.eci.vnode.engine.structure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No main class of the engine is so long that a reader cannot hold it: 300 lines at most. */
class ClassSizeTest {

  private static final int MOST = 300;

  private static final Path MAIN = Path.of("src", "main", "java");

  @Test
  void noMainClassIsLongerThanThreeHundredLines() throws IOException {
    Map<String, Long> tooLong = linesOver(MOST);

    assertThat(tooLong).isEmpty();
  }

  private static Map<String, Long> linesOver(int most) throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).toList();
      Map<String, Long> lines = new TreeMap<>();
      for (Path source : sources) {
        long count;
        try (Stream<String> text = Files.lines(source)) {
          count = text.count();
        }
        if (count > most) {
          lines.put(MAIN.relativize(source).toString().replace('\\', '/'), count);
        }
      }
      return lines;
    }
  }
}
