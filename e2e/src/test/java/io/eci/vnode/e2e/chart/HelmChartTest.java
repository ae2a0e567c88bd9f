package io.eci.vnode.e2e.chart;

import static io.eci.vnode.e2e.chart.AgentChart.all;
import static io.eci.vnode.e2e.chart.AgentChart.minimalValues;
import static io.eci.vnode.e2e.chart.AgentChart.named;
import static io.eci.vnode.e2e.chart.AgentChart.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Helm itself lints and renders deploy/helm/eci-virtual-node-agent. */
class HelmChartTest {

  @Test
  void theChartPassesHelmsLintWithTheValuesAnInstallationGives(@TempDir Path tmp)
      throws IOException {
    // helm lint takes no --set: lint a copy whose values.yaml has the required values filled in.
    Path chart = AgentChart.copy(tmp);
    Path values = chart.resolve("values.yaml");
    String text = Files.readString(values);
    for (Map.Entry<String, Object> v : minimalValues().entrySet()) {
      text = text.replace(v.getKey() + ": \"\"", v.getKey() + ": \"" + v.getValue() + "\"");
    }
    Files.writeString(values, text);

    LintResult lint = new Helm(chart).lint().strict().call();

    assertThat(lint.isFailed()).as("helm lint: %s", lint.getMessages()).isFalse();
  }

  @Test
  void minimalValuesRenderTheAgentItsIdentityItsWebhookServiceAndItsDrain() {
    List<HasMetadata> objects = render(minimalValues());

    assertThat(objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()))
        .contains(
            "ServiceAccount/eci-virtual-node-agent",
            "Secret/eci-virtual-node-agent-token",
            "Service/eci-virtual-node-agent",
            "Deployment/eci-virtual-node-agent",
            "ClusterRole/eci-virtual-node-agent",
            "ClusterRoleBinding/eci-virtual-node-agent",
            "Role/eci-virtual-node-agent-ownership",
            "Role/eci-virtual-node-agent-node-lease",
            "Role/eci-virtual-node-agent-config",
            "Job/eci-virtual-node-agent-drain",
            "ServiceAccount/eci-virtual-node-agent-drain");
    assertThat(named(objects, Deployment.class, "eci-virtual-node-agent").getSpec().getReplicas())
        .isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"serviceUrl", "clusterId", "token"})
  void aMissingRequiredValueFailsTheRenderingNamingIt(String key) {
    Map<String, Object> values = minimalValues();
    values.remove(key);

    assertThatThrownBy(() -> render(values))
        .hasMessageContaining(key + " (")
        .hasMessageContaining("is required");
  }

  @Test
  void anExistingTokenSecretTakesThePlaceOfTheChartsOwn() {
    Map<String, Object> values = minimalValues();
    values.remove("token");
    values.put("existingTokenSecret", "agent-token-from-vault");

    List<HasMetadata> objects = render(values);

    assertThat(all(objects, Secret.class)).isEmpty();
    assertThat(agentPod(objects).getVolumes())
        .anySatisfy(
            v -> assertThat(v.getSecret().getSecretName()).isEqualTo("agent-token-from-vault"));
  }

  @Test
  void theTokenIsMountedAsTheFileTheAgentIsToldToRead() {
    List<HasMetadata> objects = render(minimalValues());
    Secret token = named(objects, Secret.class, "eci-virtual-node-agent-token");
    Container agent = agentPod(objects).getContainers().get(0);

    assertThat(token.getData()).containsKey("token");
    String mount =
        agent.getVolumeMounts().stream()
            .filter(m -> m.getName().equals("token"))
            .findFirst()
            .orElseThrow()
            .getMountPath();
    assertThat(env(agent)).containsEntry("AGENT_TOKEN_FILE", mount + "/token");
  }

  @Test
  void theValuesReachTheAgentAsTheEnvironmentVariablesItReads() {
    Map<String, Object> values = minimalValues();
    values.put("eci.endpoint", "eci.cn-hangzhou.example.com:8090");
    values.put("eci.credentialsSecret", "eci-access-key");
    values.put("webhook.certSecret", "eci-webhook-tls");

    Container agent = agentPod(render(values)).getContainers().get(0);

    assertThat(env(agent))
        .containsEntry("AGENT_MODE", "run")
        .containsEntry("AGENT_SERVICE_URL", "https://vnode.example.com")
        .containsEntry("AGENT_CLUSTER_ID", "c-0123456789")
        .containsEntry("AGENT_ECI_ENDPOINT", "eci.cn-hangzhou.example.com:8090")
        .containsEntry("AGENT_ECI_CREDENTIALS_SECRET", "eci-access-key")
        .containsEntry("AGENT_WEBHOOK_SERVICE_NAME", "eci-virtual-node-agent")
        .containsEntry("AGENT_WEBHOOK_SERVICE_NAMESPACE", AgentChart.NAMESPACE)
        .containsEntry("AGENT_WEBHOOK_PORT", "8443")
        .containsEntry("AGENT_WEBHOOK_CERT_SECRET", "eci-webhook-tls");
    assertThat(fieldRef(agent, "AGENT_REPLICA")).isEqualTo("metadata.name");
    assertThat(fieldRef(agent, "AGENT_NAMESPACE")).isEqualTo("metadata.namespace");
  }

  @Test
  void everyAgentVariableThePodsGetNamesASettingTheAgentReads() throws IOException {
    Map<String, Object> values = minimalValues();
    values.put("eci.endpoint", "eci.cn-hangzhou.example.com:8090");
    values.put("eci.credentialsSecret", "eci-access-key");
    values.put("webhook.certSecret", "eci-webhook-tls");
    List<HasMetadata> objects = render(values);
    Set<String> settings = agentSettings();

    assertThat(settings).contains("AGENT_SERVICE_URL", "AGENT_WEBHOOK_PORT");
    for (Container c :
        List.of(
            agentPod(objects).getContainers().get(0),
            named(objects, Job.class, "eci-virtual-node-agent-drain")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0))) {
      assertThat(c.getEnv())
          .extracting(EnvVar::getName)
          .filteredOn(n -> n.startsWith("AGENT_"))
          .as("the %s container's variables", c.getName())
          .isSubsetOf(settings);
    }
  }

  @Test
  void optionalSettingsAreLeftOutWhenTheirValuesAreEmpty() {
    Container agent = agentPod(render(minimalValues())).getContainers().get(0);

    assertThat(env(agent))
        .doesNotContainKeys(
            "AGENT_ECI_ENDPOINT", "AGENT_ECI_CREDENTIALS_SECRET", "AGENT_WEBHOOK_CERT_SECRET");
  }

  @Test
  void theAgentIsProbedOnQuarkusHealthAndRunsAsNonRootOnAReadOnlyRootFileSystem() {
    Map<String, Object> values = minimalValues();
    values.put("resources.limits.memory", "768Mi");
    PodSpec pod = agentPod(render(values));
    Container agent = pod.getContainers().get(0);

    assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(agent.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName())
                  .isEqualTo(agent.getLivenessProbe().getHttpGet().getPort().getStrVal());
              assertThat(p.getContainerPort()).isEqualTo(8081);
            });
    assertThat(agent.getResources().getLimits().get("memory").toString()).isEqualTo("768Mi");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(agent.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(agent.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
  }

  @Test
  void theWebhookServiceIsTheOneTheAgentNamesInItsWebhookConfiguration() {
    List<HasMetadata> objects = render(minimalValues());
    Container agent = agentPod(objects).getContainers().get(0);
    Map<String, String> env = env(agent);
    // The agent writes its name, namespace and agent.webhook.port as the configuration's Service
    // reference (WebhookRegistration), and listens on that same port.
    Service service = named(objects, Service.class, env.get("AGENT_WEBHOOK_SERVICE_NAME"));
    int port = Integer.parseInt(env.get("AGENT_WEBHOOK_PORT"));

    assertThat(service.getMetadata().getNamespace())
        .isEqualTo(env.get("AGENT_WEBHOOK_SERVICE_NAMESPACE"));
    assertThat(service.getSpec().getPorts()).hasSize(1);
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(port);
    String target = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
    assertThat(agent.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo(target);
              assertThat(p.getContainerPort()).isEqualTo(port);
            });
    assertThat(service.getSpec().getSelector())
        .isEqualTo(
            named(objects, Deployment.class, "eci-virtual-node-agent")
                .getSpec()
                .getSelector()
                .getMatchLabels());
  }

  @Test
  void theWebhookStaysReachableWhileTheAgentIsNotReady() {
    Service service = named(render(minimalValues()), Service.class, "eci-virtual-node-agent");

    // Readiness goes DOWN on a refused token while the node (and its webhook) keeps running.
    assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
  }

  @Test
  void theDrainGetsEverySettingTheAgentGetsAndItsTokenFile() {
    Map<String, Object> values = minimalValues();
    values.put("eci.endpoint", "eci.cn-hangzhou.example.com:8090");
    values.put("eci.credentialsSecret", "eci-access-key");
    List<HasMetadata> objects = render(values);
    Container agent = agentPod(objects).getContainers().get(0);
    PodSpec drainPod =
        named(objects, Job.class, "eci-virtual-node-agent-drain").getSpec().getTemplate().getSpec();
    Container drain = drainPod.getContainers().get(0);

    Map<String, String> agentEnv = new java.util.HashMap<>(env(agent));
    agentEnv.put("AGENT_MODE", "drain");
    assertThat(env(drain)).isEqualTo(agentEnv);
    assertThat(fieldRef(drain, "AGENT_NAMESPACE")).isEqualTo("metadata.namespace");
    assertThat(drain.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("token"))
        .singleElement()
        .satisfies(
            m -> assertThat(env(drain).get("AGENT_TOKEN_FILE")).startsWith(m.getMountPath() + "/"));
    assertThat(drainPod.getVolumes())
        .filteredOn(v -> v.getName().equals("token"))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v.getSecret().getSecretName())
                    .isEqualTo("eci-virtual-node-agent-token"));
  }

  @Test
  void thePreDeleteHookRunsTheSameImageInDrainModeUnderItsOwnIdentity() {
    List<HasMetadata> objects = render(minimalValues());
    Job drain = named(objects, Job.class, "eci-virtual-node-agent-drain");
    PodSpec pod = drain.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(drain.getMetadata().getAnnotations())
        .containsEntry("helm.sh/hook", "pre-delete")
        .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
    assertThat(env(container)).containsEntry("AGENT_MODE", "drain");
    assertThat(container.getImage()).isEqualTo(agentPod(objects).getContainers().get(0).getImage());
    assertThat(pod.getServiceAccountName()).isEqualTo("eci-virtual-node-agent-drain");
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    // Everything the drain runs as exists before it (a lower weight) and only as a hook.
    List<HasMetadata> identity =
        objects.stream()
            .filter(o -> o.getMetadata().getName().startsWith("eci-virtual-node-agent-drain"))
            .filter(o -> !(o instanceof Job))
            .toList();
    assertThat(identity).hasSize(9);
    assertThat(identity)
        .allSatisfy(
            o -> {
              assertThat(AgentChart.isPreDeleteHook(o)).as(o.getKind()).isTrue();
              assertThat(o.getMetadata().getAnnotations())
                  .containsEntry("helm.sh/hook-weight", "-10")
                  .containsEntry(
                      "helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
            });
  }

  @Test
  void turningTheDrainOffLeavesNoHook() {
    Map<String, Object> values = minimalValues();
    values.put("drain.enabled", false);

    assertThat(render(values)).noneMatch(AgentChart::isPreDeleteHook);
  }

  @Test
  void installedInAnotherNamespaceTheEnginesLeasesKeepTheirFixedPlaces() {
    List<HasMetadata> objects =
        AgentChart.parse(AgentChart.renderText("eci-agent", minimalValues()));

    assertThat(all(objects, Role.class))
        .extracting(r -> r.getMetadata().getName() + " in " + r.getMetadata().getNamespace())
        .contains(
            "eci-virtual-node-agent-ownership in kube-system",
            "eci-virtual-node-agent-node-lease in kube-node-lease",
            "eci-virtual-node-agent-config in eci-agent");
    assertThat(all(objects, RoleBinding.class))
        .flatExtracting(RoleBinding::getSubjects)
        .extracting(Subject::getNamespace)
        .containsOnly("eci-agent");
    assertThat(env(agentPod(objects).getContainers().get(0)))
        .containsEntry("AGENT_WEBHOOK_SERVICE_NAMESPACE", "eci-agent");
  }

  /**
   * The environment variables Quarkus maps onto the agent's settings, read from AgentConfig's
   * source ({@code agent.webhook.service-name} is {@code AGENT_WEBHOOK_SERVICE_NAME}): a setting
   * renamed there fails the chart here.
   */
  private static Set<String> agentSettings() throws IOException {
    String source =
        Files.readString(
            Path.of(
                "..", "tenant-agent/src/main/java/io/eci/vnode/agent/settings/AgentConfig.java"));
    Pattern method = Pattern.compile("^( +)[\\w<>.]+ (\\w+)\\(\\);$");
    Pattern group = Pattern.compile("^ +interface (\\w+) \\{$");
    List<String> lines = source.lines().toList();
    // A nested interface is a group of settings, named by the method that returns it (eci,
    // webhook).
    Set<String> groups = new java.util.HashSet<>();
    lines.stream()
        .map(group::matcher)
        .filter(Matcher::matches)
        .forEach(g -> groups.add(g.group(1)));
    Map<String, String> prefixOf = new java.util.HashMap<>();
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    String current = "";
    for (String line : lines) {
      Matcher g = group.matcher(line);
      if (g.matches()) {
        current = g.group(1);
      }
      Matcher m = method.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String type = line.trim().split(" ")[0];
      if (m.group(1).length() == 2) {
        current = "";
        if (groups.contains(type)) {
          prefixOf.put(type, m.group(2));
          continue;
        }
      }
      settings.put(current + "." + m.group(2), current);
    }
    Set<String> names = new java.util.LinkedHashSet<>();
    settings.forEach(
        (key, owner) -> {
          String name = key.substring(key.indexOf('.') + 1);
          String path = owner.isEmpty() ? name : prefixOf.get(owner) + "_" + name;
          names.add("AGENT_" + path.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase());
        });
    return names;
  }

  private static PodSpec agentPod(List<HasMetadata> objects) {
    return named(objects, Deployment.class, "eci-virtual-node-agent")
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static String fieldRef(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValueFrom()
        .getFieldRef()
        .getFieldPath();
  }
}
