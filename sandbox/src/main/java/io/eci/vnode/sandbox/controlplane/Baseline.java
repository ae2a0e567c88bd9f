package io.eci.vnode.sandbox.controlplane;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a fresh control plane holds (its system objects), so that everything made since can be
 * deleted again: one control plane then serves one test after another as if each had a new one, at
 * a second per test instead of ten for a start.
 */
final class Baseline {

  /** Workloads go first, so their controllers stop making pods; namespaces last. */
  private static final List<String> FIRST =
      List.of("deployments", "statefulsets", "daemonsets", "cronjobs", "jobs", "replicasets");

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final List<ResourceDefinitionContext> types;
  private final Set<String> systemObjects;

  private Baseline(
      KubernetesClient client, List<ResourceDefinitionContext> types, Set<String> systemObjects) {
    this.client = client;
    this.types = types;
    this.systemObjects = systemObjects;
  }

  /** Records every object the control plane holds now, by type, namespace and name. */
  static Baseline of(KubernetesClient client) {
    List<ResourceDefinitionContext> types = deletableTypes(client);
    Set<String> keys = new HashSet<>();
    for (ResourceDefinitionContext type : types) {
      list(client, type).forEach(o -> keys.add(key(type, o)));
    }
    return new Baseline(client, types, keys);
  }

  /**
   * Deletes every object made since the baseline (finalizers dropped, no grace period), and again
   * what appeared meanwhile, until a pass finds nothing left. An object of a baseline object's name
   * (a controller recreated it) is a system object; so are the ServiceAccounts and their tokens in
   * the {@code kube-*} namespaces, which the controller-manager makes for its controllers at its
   * own pace. Events are deleted, not waited for: controllers write new ones all the time.
   *
   * @throws IllegalStateException naming how many objects are left after a minute
   */
  void restore() {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (true) {
      List<String> left = new ArrayList<>();
      for (ResourceDefinitionContext type : types) {
        for (GenericKubernetesResource object : list(client, type)) {
          if (madeByATest(type, object)) {
            delete(type, object);
            if (!type.getPlural().equals("events")) {
              left.add(key(type, object));
            }
          }
        }
      }
      if (left.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            left.size()
                + " objects made by a test were still there a minute after their delete: "
                + left.subList(0, Math.min(5, left.size())));
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private boolean madeByATest(ResourceDefinitionContext type, GenericKubernetesResource object) {
    if (systemObjects.contains(key(type, object))) {
      return false;
    }
    String namespace = object.getMetadata().getNamespace();
    boolean systemNamespace = namespace != null && namespace.startsWith("kube-");
    boolean serviceAccountOrToken =
        type.getPlural().equals("serviceaccounts")
            || (type.getPlural().equals("secrets")
                && "kubernetes.io/service-account-token"
                    .equals(object.getAdditionalProperties().get("type")));
    return !(systemNamespace && serviceAccountOrToken);
  }

  private static String key(ResourceDefinitionContext type, GenericKubernetesResource object) {
    return type.getGroup()
        + "/"
        + type.getPlural()
        + "/"
        + object.getMetadata().getNamespace()
        + "/"
        + object.getMetadata().getName();
  }

  private void delete(ResourceDefinitionContext type, GenericKubernetesResource object) {
    var resource =
        type.isNamespaceScoped()
            ? client
                .genericKubernetesResources(type)
                .inNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName())
            : client.genericKubernetesResources(type).withName(object.getMetadata().getName());
    try {
      if (!object.getMetadata().getFinalizers().isEmpty()
          && !type.getPlural().equals("namespaces")) {
        resource.patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
      }
      resource.withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static List<GenericKubernetesResource> list(
      KubernetesClient client, ResourceDefinitionContext type) {
    var resources = client.genericKubernetesResources(type);
    return type.isNamespaceScoped()
        ? resources.inAnyNamespace().list().getItems()
        : resources.list().getItems();
  }

  /** Every type whose objects can be listed and deleted, workloads first and namespaces last. */
  private static List<ResourceDefinitionContext> deletableTypes(KubernetesClient client) {
    List<ResourceDefinitionContext> types = new ArrayList<>();
    addTypes(client, "", "v1", types);
    for (APIGroup group : client.getApiGroups().getGroups()) {
      addTypes(client, group.getName(), group.getPreferredVersion().getVersion(), types);
    }
    types.sort(
        Comparator.comparingInt(
            t -> t.getPlural().equals("namespaces") ? 2 : FIRST.contains(t.getPlural()) ? 0 : 1));
    return types;
  }

  private static void addTypes(
      KubernetesClient client, String group, String version, List<ResourceDefinitionContext> into) {
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    for (APIResource r : client.getApiResources(groupVersion).getResources()) {
      boolean deletable = r.getVerbs().contains("list") && r.getVerbs().contains("delete");
      if (r.getName().contains("/")
          || !deletable
          || r.getName().equals("events") && group.equals("events.k8s.io")) {
        continue; // subresources; events.k8s.io Events are the core ones once more
      }
      into.add(
          new ResourceDefinitionContext.Builder()
              .withGroup(group)
              .withVersion(version)
              .withPlural(r.getName())
              .withKind(r.getKind())
              .withNamespaced(Boolean.TRUE.equals(r.getNamespaced()))
              .build());
    }
  }
}
