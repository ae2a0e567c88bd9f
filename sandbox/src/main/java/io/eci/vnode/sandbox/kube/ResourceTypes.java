package io.eci.vnode.sandbox.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resources the stand-in serves: the core types the product and kubectl use, plus the groups
 * the engine needs (coordination for Leases, admissionregistration for the webhook configuration,
 * apps/batch/rbac for manifests).
 */
final class ResourceTypes {

  static final ResourceType PODS =
      type("", "v1", "pods", "Pod", true, List.of("po"), List.of("all"), true)
          .fields(
              "spec.nodeName",
              "spec.restartPolicy",
              "spec.schedulerName",
              "spec.serviceAccountName",
              "spec.hostNetwork",
              "status.phase",
              "status.podIP",
              "status.nominatedNodeName")
          .build();
  static final ResourceType NODES =
      type("", "v1", "nodes", "Node", false, List.of("no"), List.of(), true)
          .fields("spec.unschedulable")
          .build();
  static final ResourceType NAMESPACES =
      type("", "v1", "namespaces", "Namespace", false, List.of("ns"), List.of(), true)
          .fields("status.phase")
          .verbs("create", "delete", "get", "list", "patch", "update", "watch")
          .build();
  static final ResourceType SERVICE_ACCOUNTS =
      type("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of(), false)
          .build();
  static final ResourceType BINDINGS =
      type("", "v1", "bindings", "Binding", true, List.of(), List.of(), false)
          .verbs("create")
          .build();
  static final ResourceType LEASES =
      type("coordination.k8s.io", "v1", "leases", "Lease", true, List.of(), List.of(), false)
          .build();
  static final ResourceType SELF_SUBJECT_ACCESS_REVIEWS =
      type(
              "authorization.k8s.io",
              "v1",
              "selfsubjectaccessreviews",
              "SelfSubjectAccessReview",
              false,
              List.of(),
              List.of(),
              false)
          .verbs("create")
          .build();
  static final ResourceType SELF_SUBJECT_RULES_REVIEWS =
      type(
              "authorization.k8s.io",
              "v1",
              "selfsubjectrulesreviews",
              "SelfSubjectRulesReview",
              false,
              List.of(),
              List.of(),
              false)
          .verbs("create")
          .build();

  private final List<ResourceType> all;

  private ResourceTypes(List<ResourceType> all) {
    this.all = List.copyOf(all);
  }

  /** The built-in resource set. */
  static ResourceTypes builtIn() {
    List<ResourceType> types = new ArrayList<>();
    types.add(PODS);
    types.add(NODES);
    types.add(NAMESPACES);
    types.add(BINDINGS);
    types.add(
        type("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), List.of(), false).build());
    types.add(
        type("", "v1", "secrets", "Secret", true, List.of(), List.of(), false)
            .fields("type")
            .build());
    types.add(
        type("", "v1", "services", "Service", true, List.of("svc"), List.of("all"), true).build());
    types.add(SERVICE_ACCOUNTS);
    types.add(
        type("", "v1", "endpoints", "Endpoints", true, List.of("ep"), List.of(), false).build());
    types.add(
        type("", "v1", "events", "Event", true, List.of("ev"), List.of(), false)
            .fields(
                "involvedObject.kind",
                "involvedObject.namespace",
                "involvedObject.name",
                "involvedObject.uid",
                "involvedObject.apiVersion",
                "involvedObject.resourceVersion",
                "involvedObject.fieldPath",
                "reason",
                "reportingComponent",
                "source",
                "type")
            .build());
    types.add(
        type("", "v1", "resourcequotas", "ResourceQuota", true, List.of("quota"), List.of(), true)
            .build());
    types.add(
        type("", "v1", "limitranges", "LimitRange", true, List.of("limits"), List.of(), false)
            .build());
    types.add(
        type(
                "",
                "v1",
                "persistentvolumeclaims",
                "PersistentVolumeClaim",
                true,
                List.of("pvc"),
                List.of(),
                true)
            .build());
    types.add(
        type(
                "",
                "v1",
                "persistentvolumes",
                "PersistentVolume",
                false,
                List.of("pv"),
                List.of(),
                true)
            .build());
    types.add(
        type(
                "apps",
                "v1",
                "deployments",
                "Deployment",
                true,
                List.of("deploy"),
                List.of("all"),
                true)
            .build());
    types.add(
        type("apps", "v1", "replicasets", "ReplicaSet", true, List.of("rs"), List.of("all"), true)
            .fields("status.replicas")
            .build());
    types.add(
        type(
                "apps",
                "v1",
                "statefulsets",
                "StatefulSet",
                true,
                List.of("sts"),
                List.of("all"),
                true)
            .build());
    types.add(
        type("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), List.of("all"), true)
            .build());
    types.add(
        type("batch", "v1", "jobs", "Job", true, List.of(), List.of("all"), true)
            .fields("status.successful")
            .build());
    types.add(
        type("batch", "v1", "cronjobs", "CronJob", true, List.of("cj"), List.of("all"), true)
            .build());
    types.add(LEASES);
    types.add(
        type(
                "admissionregistration.k8s.io",
                "v1",
                "mutatingwebhookconfigurations",
                "MutatingWebhookConfiguration",
                false,
                List.of(),
                List.of(),
                false)
            .build());
    types.add(
        type(
                "admissionregistration.k8s.io",
                "v1",
                "validatingwebhookconfigurations",
                "ValidatingWebhookConfiguration",
                false,
                List.of(),
                List.of(),
                false)
            .build());
    for (String[] rbac :
        new String[][] {
          {"roles", "Role", "true"},
          {"rolebindings", "RoleBinding", "true"},
          {"clusterroles", "ClusterRole", "false"},
          {"clusterrolebindings", "ClusterRoleBinding", "false"}
        }) {
      types.add(
          type(
                  "rbac.authorization.k8s.io",
                  "v1",
                  rbac[0],
                  rbac[1],
                  Boolean.parseBoolean(rbac[2]),
                  List.of(),
                  List.of(),
                  false)
              .build());
    }
    types.add(SELF_SUBJECT_ACCESS_REVIEWS);
    types.add(SELF_SUBJECT_RULES_REVIEWS);
    return new ResourceTypes(types);
  }

  List<ResourceType> all() {
    return all;
  }

  Optional<ResourceType> find(String group, String version, String plural) {
    return all.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .filter(t -> t.plural().equals(plural))
        .findFirst();
  }

  /** The served group versions in discovery order, core ("v1") first. */
  Map<String, List<ResourceType>> byGroupVersion() {
    Map<String, List<ResourceType>> groups = new LinkedHashMap<>();
    for (ResourceType type : all) {
      groups.computeIfAbsent(type.groupVersion(), k -> new ArrayList<>()).add(type);
    }
    return groups;
  }

  private static Builder type(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      boolean hasStatus) {
    return new Builder(group, version, plural, kind, namespaced, shortNames, categories, hasStatus);
  }

  private static final class Builder {
    private final String group;
    private final String version;
    private final String plural;
    private final String kind;
    private final boolean namespaced;
    private final List<String> shortNames;
    private final List<String> categories;
    private final boolean hasStatus;
    private List<String> verbs = ResourceType.ALL_VERBS;
    private final Set<String> fields = new LinkedHashSet<>();

    private Builder(
        String group,
        String version,
        String plural,
        String kind,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        boolean hasStatus) {
      this.group = group;
      this.version = version;
      this.plural = plural;
      this.kind = kind;
      this.namespaced = namespaced;
      this.shortNames = shortNames;
      this.categories = categories;
      this.hasStatus = hasStatus;
    }

    Builder fields(String... labels) {
      fields.addAll(List.of(labels));
      return this;
    }

    Builder verbs(String... served) {
      verbs = List.of(served);
      return this;
    }

    ResourceType build() {
      return new ResourceType(
          group,
          version,
          plural,
          kind.toLowerCase(Locale.ROOT),
          kind,
          namespaced,
          shortNames,
          verbs,
          categories,
          hasStatus,
          Set.copyOf(fields));
    }
  }
}
