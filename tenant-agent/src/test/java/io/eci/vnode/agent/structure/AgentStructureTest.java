package io.eci.vnode.agent.structure;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class AgentStructureTest {

  private static final JavaClasses AGENT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.eci.vnode.agent");

  @Test
  void theAgentsFeaturePackagesDependOnEachOtherWithoutCycles() {
    slices().matching("io.eci.vnode.agent.(*)..").should().beFreeOfCycles().check(AGENT);
  }
}
