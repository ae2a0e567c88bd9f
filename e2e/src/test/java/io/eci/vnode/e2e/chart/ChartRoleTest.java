package io.eci.vnode.e2e.chart;

import static io.eci.vnode.e2e.chart.AgentChart.NAMESPACE;
import static io.eci.vnode.e2e.chart.AgentChart.all;
import static io.eci.vnode.e2e.chart.AgentChart.minimalValues;
import static io.eci.vnode.e2e.chart.AgentChart.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.node.Permissions;
import io.eci.vnode.engine.node.Permissions.Permission;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart's RBAC is exactly what its two identities do: the agent what its engine needs ({@link
 * Permissions#REQUIRED}) and its own calls, the drain hook what the drain calls.
 */
class ChartRoleTest {

  private static final String AGENT = "eci-virtual-node-agent";
  private static final String DRAIN = "eci-virtual-node-agent-drain";
  private static final String WEBHOOKS = "admissionregistration.k8s.io";
  private static final String LEASES = "coordination.k8s.io";
  private static final String CONFIG_SECRET = "eci-virtual-node-agent-config";

  private static final String ECI_SECRET = "eci-access-key";
  private static final String TLS_SECRET = "eci-webhook-tls";

  /**
   * The agent's calls besides its engine's: the cluster's node listed by its label (EngineBuilder
   * keeps its zone), its webhook configuration (WebhookRegistration: created or read and replaced,
   * read and deleted when the cluster goes managed), its config cache (ConfigCache read and
   * written, DrainMarkWatch's informer by name).
   */
  private static final List<Permission> AGENT_OWN =
      List.of(
          p("list", "", "nodes", "", ""),
          p("create", WEBHOOKS, "mutatingwebhookconfigurations", "", ""),
          p("get", WEBHOOKS, "mutatingwebhookconfigurations", "", "eci-virtual-node"),
          p("update", WEBHOOKS, "mutatingwebhookconfigurations", "", "eci-virtual-node"),
          p("delete", WEBHOOKS, "mutatingwebhookconfigurations", "", "eci-virtual-node"),
          p("create", "", "secrets", NAMESPACE, ""),
          p("get", "", "secrets", NAMESPACE, CONFIG_SECRET),
          p("list", "", "secrets", NAMESPACE, CONFIG_SECRET),
          p("watch", "", "secrets", NAMESPACE, CONFIG_SECRET),
          p("update", "", "secrets", NAMESPACE, CONFIG_SECRET));

  /**
   * The agent's reads of the Secrets it is told of: the ECI credentials (EciCredentialSource) and
   * the webhook's certificate (WebhookEndpoint).
   */
  private static final List<Permission> AGENT_TOLD_OF =
      List.of(
          p("get", "", "secrets", NAMESPACE, ECI_SECRET),
          p("get", "", "secrets", NAMESPACE, TLS_SECRET));

  /**
   * The drain's calls (Drain, ClusterLeftovers, ConfigCache): the cached configuration read and
   * marked draining (made when there is none), the ownership Lease read until no agent holds it,
   * the webhook configuration read and deleted, the nodes listed by their cluster label and deleted
   * with their Leases, the ownership Lease and the config Secret deleted last.
   */
  private static final List<Permission> DRAIN_CALLS =
      List.of(
          p("get", "", "secrets", NAMESPACE, CONFIG_SECRET),
          p("create", "", "secrets", NAMESPACE, ""),
          p("patch", "", "secrets", NAMESPACE, CONFIG_SECRET),
          p("delete", "", "secrets", NAMESPACE, CONFIG_SECRET),
          p("get", LEASES, "leases", "kube-system", "eci-virtual-node-controller"),
          p("delete", LEASES, "leases", "kube-system", "eci-virtual-node-controller"),
          p("get", WEBHOOKS, "mutatingwebhookconfigurations", "", "eci-virtual-node"),
          p("delete", WEBHOOKS, "mutatingwebhookconfigurations", "", "eci-virtual-node"),
          p("list", "", "nodes", "", ""),
          p("delete", "", "nodes", "", ""),
          p("delete", LEASES, "leases", "kube-node-lease", ""));

  @Test
  void theChartsRoleGrantsEveryPermissionTheEngineUses() {
    List<Rule> granted = rulesOf(render(minimalValues()), AGENT);

    List<Permission> missing =
        Permissions.REQUIRED.stream()
            .filter(p -> granted.stream().noneMatch(r -> r.grants(p)))
            .toList();

    assertThat(missing).as("the engine needs these and the chart does not grant them").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theChartsRoleGrantsTheAgentsOwnCalls(boolean secretsNamed) {
    List<Rule> granted = rulesOf(render(values(secretsNamed)), AGENT);

    List<Permission> missing =
        agentOwn(secretsNamed).stream()
            .filter(p -> granted.stream().noneMatch(r -> r.grants(p)))
            .toList();

    assertThat(missing).as("the agent calls these and the chart does not grant them").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theChartsRoleGrantsNothingNeitherTheEngineNorTheAgentUses(boolean secretsNamed) {
    Set<Permission> needed = new LinkedHashSet<>(Permissions.REQUIRED);
    needed.addAll(agentOwn(secretsNamed));

    List<Permission> extra =
        expand(rulesOf(render(values(secretsNamed)), AGENT)).stream()
            .filter(p -> !needed.contains(p))
            .toList();

    assertThat(extra).as("the chart grants the agent these, which nothing uses").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void theDrainHookIsGrantedExactlyWhatTheDrainCalls(boolean secretsNamed) {
    Map<String, Object> values = values(secretsNamed);
    List<Permission> calls = new ArrayList<>(DRAIN_CALLS);
    if (secretsNamed) {
      // the drain deletes the instances with the credentials kept in the cluster; it serves no
      // webhook, so the certificate is not its to read
      calls.add(p("get", "", "secrets", NAMESPACE, ECI_SECRET));
    }

    List<Permission> granted = expand(rulesOf(render(values), DRAIN));

    assertThat(calls.stream().filter(p -> !granted.contains(p)).toList())
        .as("the drain calls these and its role does not grant them")
        .isEmpty();
    assertThat(granted.stream().filter(p -> !calls.contains(p)).toList())
        .as("the drain's role grants these, which the drain does not call")
        .isEmpty();
  }

  @Test
  void everyRoleOfTheChartIsBoundToTheAgentOrItsDrain() {
    List<HasMetadata> objects = render(minimalValues());
    Set<String> bound = new LinkedHashSet<>();
    all(objects, ClusterRoleBinding.class)
        .forEach(b -> bound.add("ClusterRole/" + b.getRoleRef().getName()));
    all(objects, RoleBinding.class)
        .forEach(
            b ->
                bound.add(
                    "Role/" + b.getMetadata().getNamespace() + "/" + b.getRoleRef().getName()));

    Stream<String> roles =
        Stream.concat(
            all(objects, ClusterRole.class).stream()
                .map(r -> "ClusterRole/" + r.getMetadata().getName()),
            all(objects, Role.class).stream()
                .map(
                    r ->
                        "Role/"
                            + r.getMetadata().getNamespace()
                            + "/"
                            + r.getMetadata().getName()));

    assertThat(roles).allMatch(bound::contains);
  }

  /** The minimal values, and with {@code secretsNamed} the ECI credentials and TLS Secrets too. */
  private static Map<String, Object> values(boolean secretsNamed) {
    Map<String, Object> values = minimalValues();
    if (secretsNamed) {
      values.put("eci.credentialsSecret", ECI_SECRET);
      values.put("webhook.certSecret", TLS_SECRET);
    }
    return values;
  }

  private static List<Permission> agentOwn(boolean secretsNamed) {
    List<Permission> own = new ArrayList<>(AGENT_OWN);
    if (secretsNamed) {
      own.addAll(AGENT_TOLD_OF);
    }
    return own;
  }

  /** One rule of a role, and where it applies: every namespace ({@code ""}) or its Role's. */
  private record Rule(String namespace, PolicyRule rule) {

    /** Whether Kubernetes' RBAC lets this rule allow {@code p}. */
    boolean grants(Permission p) {
      return (namespace.isEmpty() || namespace.equals(p.namespace()))
          && rule.getVerbs().contains(p.verb())
          && rule.getApiGroups().contains(p.group())
          && rule.getResources().contains(p.resource())
          && (rule.getResourceNames().isEmpty() || rule.getResourceNames().contains(p.name()));
    }
  }

  /** The rules of every role bound to the chart's ServiceAccount {@code account}. */
  private static List<Rule> rulesOf(List<HasMetadata> objects, String account) {
    List<Rule> rules = new ArrayList<>();
    for (ClusterRoleBinding b : all(objects, ClusterRoleBinding.class)) {
      if (bindsTo(b.getSubjects(), account)) {
        all(objects, ClusterRole.class).stream()
            .filter(r -> r.getMetadata().getName().equals(b.getRoleRef().getName()))
            .flatMap(r -> r.getRules().stream())
            .forEach(r -> rules.add(new Rule("", r)));
      }
    }
    for (RoleBinding b : all(objects, RoleBinding.class)) {
      if (bindsTo(b.getSubjects(), account)) {
        String ns = b.getMetadata().getNamespace();
        all(objects, Role.class).stream()
            .filter(r -> r.getMetadata().getName().equals(b.getRoleRef().getName()))
            .filter(r -> ns.equals(r.getMetadata().getNamespace()))
            .flatMap(r -> r.getRules().stream())
            .forEach(r -> rules.add(new Rule(ns, r)));
      }
    }
    return rules;
  }

  private static boolean bindsTo(List<Subject> subjects, String account) {
    return subjects.stream()
        .anyMatch(
            s ->
                "ServiceAccount".equals(s.getKind())
                    && account.equals(s.getName())
                    && NAMESPACE.equals(s.getNamespace()));
  }

  /** Each rule as the single permissions it grants, in the engine's terms. */
  private static List<Permission> expand(List<Rule> rules) {
    List<Permission> permissions = new ArrayList<>();
    for (Rule r : rules) {
      List<String> names =
          r.rule().getResourceNames().isEmpty() ? List.of("") : r.rule().getResourceNames();
      for (String verb : r.rule().getVerbs()) {
        for (String group : r.rule().getApiGroups()) {
          for (String resource : r.rule().getResources()) {
            for (String name : names) {
              permissions.add(p(verb, group, resource, r.namespace(), name));
            }
          }
        }
      }
    }
    return permissions;
  }

  private static Permission p(
      String verb, String group, String resource, String namespace, String name) {
    return new Permission(verb, group, resource, namespace, name);
  }
}
