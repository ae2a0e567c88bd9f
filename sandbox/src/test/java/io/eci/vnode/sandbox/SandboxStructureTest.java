package io.eci.vnode.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's shape: packages by feature ({@code eci}, {@code kube}, {@code controlplane}, the
 * shared {@code testing} helpers) that do not depend on each other in a circle, under a root
 * package ({@link Cluster}, {@link Kubectl}, the {@code sandbox.jar} command) that uses them and
 * that none of them uses; and no class too long to read.
 */
class SandboxStructureTest {

  private static final String ROOT = "io.eci.vnode.sandbox";
  private static final int MAX_LINES = 400;

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);
  private static final JavaClasses MAIN_AND_TESTS = new ClassFileImporter().importPackages(ROOT);

  @Test
  void noPackageCycleRunsThroughTheFeaturePackages() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN_AND_TESTS);
  }

  /**
   * The slices above leave the root package out; this keeps it out of any cycle: the root may use
   * every feature package (to choose a test cluster, to run a command), none may use the root.
   */
  @Test
  void noFeaturePackageDependsOnTheRootPackage() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".*..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT)
        .check(MAIN);
  }

  @Test
  void noMainClassIsLongerThan400Lines() {
    Map<Path, Long> tooLong;
    try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
      tooLong =
          sources
              .filter(p -> p.toString().endsWith(".java"))
              .collect(Collectors.toMap(p -> p, SandboxStructureTest::lines))
              .entrySet()
              .stream()
              .filter(e -> e.getValue() > MAX_LINES)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(tooLong).as("main classes over %d lines", MAX_LINES).isEmpty();
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
