package io.eci.vnode.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/docker/ builds each image from the layout Quarkus's JVM build (fast-jar) leaves in the
 * module's target/quarkus-app/. No image is built here: there is no container engine on the build
 * machines, so the Dockerfiles are read.
 */
class DockerfilesTest {

  private static final Path ROOT = Path.of("..");

  /** What {@code ./mvnw package} makes of a Quarkus module, and where the image puts it. */
  private static final Map<String, String> FAST_JAR =
      Map.of(
          "target/quarkus-app/lib/", "/deployments/lib/",
          "target/quarkus-app/quarkus-run.jar", "/deployments/quarkus-run.jar",
          "target/quarkus-app/app/", "/deployments/app/",
          "target/quarkus-app/quarkus/", "/deployments/quarkus/");

  @ParameterizedTest
  @ValueSource(strings = {"service", "tenant-agent"})
  void theImageCopiesEveryPartOfQuarkusFastJarLayoutAndRunsItsRunner(String module)
      throws IOException {
    String dockerfile = dockerfile(module);
    Matcher copy = Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) (\\S+)$").matcher(dockerfile);
    Map<String, String> copied = new java.util.LinkedHashMap<>();
    while (copy.find()) {
      copied.put(copy.group(1), copy.group(2));
    }

    assertThat(copied).isEqualTo(FAST_JAR);
    assertThat(dockerfile).contains("-jar /deployments/quarkus-run.jar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"service", "tenant-agent"})
  void theImageRunsJava17AsTheNonRootUserTheManifestsName(String module) throws IOException {
    String dockerfile = dockerfile(module);

    assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:17-jre$");
    // the last USER wins; the manifests' runAsUser is 185
    List<String> users =
        dockerfile.lines().filter(l -> l.startsWith("USER ")).map(l -> l.substring(5)).toList();
    assertThat(users).isNotEmpty();
    assertThat(users.get(users.size() - 1)).isEqualTo("185");
    assertThat(Files.readString(ROOT.resolve("deploy/service/statefulset.yaml")))
        .contains("runAsUser: 185");
    assertThat(
            Files.readString(
                ROOT.resolve("deploy/helm/eci-virtual-node-agent/templates/_helpers.tpl")))
        .contains("runAsUser: 185");
  }

  @ParameterizedTest
  @ValueSource(strings = {"service", "tenant-agent"})
  void theBuildContextItNamesIsAQuarkusModuleBuiltAsAFastJar(String module) throws IOException {
    String dockerfile = dockerfile(module);
    Path moduleDir = ROOT.resolve(module);

    assertThat(dockerfile)
        .contains("-f deploy/docker/" + module + ".Dockerfile")
        .contains(" " + module + "\n");
    assertThat(Files.readString(moduleDir.resolve("pom.xml"))).contains("quarkus-maven-plugin");
    // another package type (uber-jar, legacy-jar, mutable-jar) would not leave this layout
    assertThat(Files.readString(moduleDir.resolve("src/main/resources/application.properties")))
        .doesNotContain("quarkus.package.jar.type")
        .doesNotContain("quarkus.package.type");
    Path built = moduleDir.resolve("target/quarkus-app");
    if (Files.isDirectory(built)) {
      // after a package: every COPY source is there
      for (String source : FAST_JAR.keySet()) {
        assertThat(moduleDir.resolve(source)).exists();
      }
    }
  }

  private static String dockerfile(String module) throws IOException {
    return Files.readString(ROOT.resolve("deploy/docker/" + module + ".Dockerfile"));
  }
}
