package io.eci.vnode.service;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The service's shape, read from its compiled classes and its sources: no Quarkus, no I/O. */
class ServiceStructureTest {

  private static final int MAX_LINES = 300;

  @Test
  void noPackageOfTheServiceReachesBackToItselfThroughAnother() {
    JavaClasses main = new ClassFileImporter().importPath(Path.of("target/classes"));

    slices().matching("io.eci.vnode.service.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void noMainClassIsLongerThanThreeHundredLines() throws IOException {
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      List<String> tooLong =
          sources
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> lines(p) > MAX_LINES)
              .map(p -> p + " (" + lines(p) + " lines)")
              .toList();

      assertThat(tooLong).as("classes over %d lines", MAX_LINES).isEmpty();
    }
  }

  private static long lines(Path source) {
    try (Stream<String> lines = Files.lines(source)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
