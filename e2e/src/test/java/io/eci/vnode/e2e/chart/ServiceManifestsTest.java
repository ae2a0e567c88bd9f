package io.eci.vnode.e2e.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/service/ wires the control service as its settings say. kustomize is not at hand, so the
 * files are read as kustomize would take them (the kustomization's resources, its replica count).
 */
class ServiceManifestsTest {

  private static final Path DIR = Path.of("..", "deploy", "service");
  private static final Path ROOT = Path.of("..");
  private static final String SECRET = "eci-virtual-node-service";

  @Test
  void theKustomizationNamesEveryManifestOfTheDirectoryAndEachExists() throws IOException {
    List<String> resources = resources();
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(DIR)) {
      list.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .forEach(files::add);
    }

    assertThat(new TreeSet<>(resources)).isEqualTo(files);
  }

  @Test
  void twoReplicasRunByDefaultEachNamedAfterItsPod() {
    Container service = container();

    assertThat(statefulSet().getSpec().getReplicas()).isEqualTo(2);
    assertThat(kustomization().get("replicas"))
        .isEqualTo(List.of(Map.of("name", "eci-virtual-node-service", "count", 2)));
    EnvVar replica = env(service, "VNODE_HOSTING_REPLICA");
    assertThat(replica.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
  }

  @Test
  void theReplicaVariableIsTheOneHostingConfigReads() throws IOException {
    String config =
        Files.readString(
            ROOT.resolve("service/src/main/java/io/eci/vnode/service/hosting/HostingConfig.java"));

    // vnode.hosting.replica in its environment-variable form
    assertThat(config)
        .contains("prefix = \"vnode.hosting\"")
        .contains("Optional<String> replica()");
    assertThat(container().getEnv()).extracting(EnvVar::getName).contains("VNODE_HOSTING_REPLICA");
  }

  @Test
  void eachReplicaIsProbedOnQuarkusHealthAtTheServicesHttpPort() throws IOException {
    Container service = container();
    String port =
        Files.readString(ROOT.resolve("service/src/main/resources/application.properties"))
            .lines()
            .filter(l -> l.startsWith("quarkus.http.port="))
            .findFirst()
            .orElseThrow()
            .substring("quarkus.http.port=".length());

    assertThat(service.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(service.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(service.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(service.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(Integer.parseInt(port));
            });
    assertThat(service.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(service.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void theDisruptionBudgetKeepsOneOfTheServicesPods() {
    PodDisruptionBudget pdb = only(PodDisruptionBudget.class);
    Map<String, String> podLabels = statefulSet().getSpec().getTemplate().getMetadata().getLabels();

    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    assertThat(podLabels)
        .containsAllEntriesOf(statefulSet().getSpec().getSelector().getMatchLabels());
    for (Service s : all(Service.class)) {
      assertThat(podLabels)
          .as(s.getMetadata().getName())
          .containsAllEntriesOf(s.getSpec().getSelector());
    }
    assertThat(all(Service.class))
        .extracting(s -> s.getMetadata().getName())
        .contains(statefulSet().getSpec().getServiceName());
  }

  @Test
  void everySettingThePodsGetIsOneTheOperationsGuideDocuments() throws IOException {
    List<Pattern> documented = documentedSettings();
    List<String> settings = new ArrayList<>();
    container().getEnv().stream()
        .map(EnvVar::getName)
        .filter(n -> !n.equals("VNODE_HOSTING_REPLICA")) // HostingConfig's, tested above
        .forEach(settings::add);
    settings.addAll(only(ConfigMap.class).getData().keySet());

    assertThat(settings)
        .as("settings docs/operations.md does not name")
        .allMatch(s -> documented.stream().anyMatch(p -> p.matcher(s).matches()));
  }

  @Test
  void theDatabaseOperatorTokenAndMasterKeyComeFromTheSecretAndTheActiveKeyIsOneOfThem() {
    Container service = container();
    Map<String, String> config = only(ConfigMap.class).getData();

    for (String name :
        List.of(
            "QUARKUS_DATASOURCE_JDBC_URL",
            "QUARKUS_DATASOURCE_USERNAME",
            "QUARKUS_DATASOURCE_PASSWORD",
            "VNODE_OPERATOR_TOKEN")) {
      EnvVar var = env(service, name);
      assertThat(var.getValueFrom().getSecretKeyRef().getName()).as(name).isEqualTo(SECRET);
      assertThat(var.getValueFrom().getSecretKeyRef().getOptional()).as(name).isNotEqualTo(true);
    }
    String activeKey = config.get("VNODE_SECRETS_ACTIVE_KEY_ID");
    EnvVar key = env(service, "VNODE_SECRETS_KEYS_" + activeKey.toUpperCase());
    assertThat(key.getValueFrom().getSecretKeyRef().getName()).isEqualTo(SECRET);
  }

  @Test
  void theSecretTheInstructionsCreateHoldsEveryKeyThePodsRequire() throws IOException {
    Set<String> required = new TreeSet<>();
    for (EnvVar var : container().getEnv()) {
      if (var.getValueFrom() != null
          && var.getValueFrom().getSecretKeyRef() != null
          && !Boolean.TRUE.equals(var.getValueFrom().getSecretKeyRef().getOptional())) {
        required.add(var.getValueFrom().getSecretKeyRef().getKey());
      }
    }

    for (Path instructions :
        List.of(DIR.resolve("kustomization.yaml"), ROOT.resolve("docs/deploy.md"))) {
      Set<String> created = new TreeSet<>();
      Matcher m =
          Pattern.compile("--from-literal=([a-z0-9-]+)=").matcher(Files.readString(instructions));
      while (m.find()) {
        created.add(m.group(1));
      }
      assertThat(created).as("the Secret %s makes", instructions).containsAll(required);
    }
  }

  /** The env-form setting names of docs/operations.md's table, {@code <ID>} standing for any id. */
  private static List<Pattern> documentedSettings() throws IOException {
    List<Pattern> names = new ArrayList<>();
    Matcher m =
        Pattern.compile("`([A-Z][A-Z0-9_]*(?:<ID>)?)`")
            .matcher(Files.readString(ROOT.resolve("docs/operations.md")));
    while (m.find()) {
      names.add(Pattern.compile(Pattern.quote(m.group(1)).replace("<ID>", "\\E[A-Z0-9]+\\Q")));
    }
    return names;
  }

  private static Container container() {
    PodTemplateSpec template = statefulSet().getSpec().getTemplate();
    return template.getSpec().getContainers().get(0);
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name));
  }

  private static StatefulSet statefulSet() {
    return only(StatefulSet.class);
  }

  private static <T extends HasMetadata> T only(Class<T> kind) {
    List<T> found = all(kind);
    assertThat(found).as(kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static <T extends HasMetadata> List<T> all(Class<T> kind) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String resource : resources()) {
      try {
        objects.addAll(AgentChart.parse(Files.readString(DIR.resolve(resource))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return AgentChart.all(objects, kind);
  }

  @SuppressWarnings("unchecked")
  private static List<String> resources() {
    return (List<String>) kustomization().get("resources");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> kustomization() {
    try {
      return new ObjectMapper(new YAMLFactory())
          .readValue(DIR.resolve("kustomization.yaml").toFile(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
