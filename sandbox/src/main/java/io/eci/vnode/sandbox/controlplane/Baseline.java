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

  /** Records every object the control plane holds now. */
  static Baseline of(KubernetesClient client) {
    List<ResourceDefinitionContext> types = deletableTypes(client);
    Set<String> uids = new HashSet<>();
    for (ResourceDefinitionContext type : types) {
      list(client, type).forEach(o -> uids.add(o.getMetadata().getUid()));
    }
    return new Baseline(client, types, uids);
  }

  /**
   * Deletes every object made since the baseline (finalizers dropped, no grace period) and waits
   * until all of them are gone.
   *
   * @throws IllegalStateException naming what is left after a minute
   */
  void restore() {
    List<GenericKubernetesResource> deleted = new ArrayList<>();
    for (ResourceDefinitionContext type : types) {
      for (GenericKubernetesResource object : list(client, type)) {
        if (!systemObjects.contains(object.getMetadata().getUid())) {
          delete(type, object);
          deleted.add(object);
        }
      }
    }
    Instant deadline = Instant.now().plus(DEADLINE);
    Set<String> waiting = new HashSet<>();
    deleted.forEach(o -> waiting.add(o.getMetadata().getUid()));
    while (true) {
      Set<String> left = new HashSet<>();
      for (ResourceDefinitionContext type : types) {
        list(client, type).stream()
            .map(o -> o.getMetadata().getUid())
            .filter(waiting::contains)
            .forEach(left::add);
      }
      if (left.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            left.size() + " objects made by a test were still there a minute after their delete");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
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
