package io.eci.vnode.engine.structure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine's packages depend on each other one way only, and none on the composition root. */
class PackageStructureTest {

  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.eci.vnode.engine");

  /**
   * The root package (the composition root, {@code VirtualNode}) is in no slice: it may use every
   * package, and the next rule keeps every package from using it.
   */
  @Test
  void theEnginesPackagesAreFreeOfCycles() {
    slices().matching("io.eci.vnode.engine.(*)..").should().beFreeOfCycles().check(ENGINE);
  }

  @Test
  void noPackageDependsOnTheCompositionRoot() {
    noClasses()
        .that()
        .resideInAPackage("io.eci.vnode.engine.*..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.eci.vnode.engine")
        .check(ENGINE);
  }
}
