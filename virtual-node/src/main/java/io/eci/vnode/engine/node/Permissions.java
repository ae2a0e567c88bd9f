package io.eci.vnode.engine.node;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine must be allowed to do in a cluster, and which of it the cluster's RBAC refuses,
 * asked of the API server itself (one SelfSubjectAccessReview per permission, which every
 * authenticated user may create). The list is the engine's part of {@code
 * deploy/cluster/eci-virtual-node.yaml}; a test holds the two together.
 */
public final class Permissions {

  /**
   * One permission.
   *
   * @param namespace empty for cluster-wide (every namespace, or a cluster-scoped resource)
   * @param name empty for any object
   */
  public record Permission(
      String verb, String group, String resource, String namespace, String name) {

    /** As a person reads it: {@code patch pods/status}, {@code get leases/x in kube-system}. */
    @Override
    public String toString() {
      return verb
          + " "
          + resource
          + (group.isEmpty() ? "" : "." + group)
          + (name.isEmpty() ? "" : " " + name)
          + (namespace.isEmpty() ? "" : " in " + namespace);
    }
  }

  private static final String LEASES = "coordination.k8s.io";

  /** Everything the engine does in a cluster. */
  public static final List<Permission> REQUIRED =
      List.of(
          any("get", "", "nodes"),
          any("create", "", "nodes"),
          any("patch", "", "nodes"),
          any("patch", "", "nodes/status"),
          any("get", "", "pods"),
          any("list", "", "pods"),
          any("watch", "", "pods"),
          any("patch", "", "pods"),
          any("delete", "", "pods"),
          any("patch", "", "pods/status"),
          any("create", "", "bindings"),
          any("list", "", "services"),
          any("watch", "", "services"),
          any("get", "", "configmaps"),
          any("get", "", "secrets"),
          any("get", "", "namespaces"),
          any("get", "", "events"),
          any("create", "", "events"),
          any("patch", "", "events"),
          in("get", LEASES, "leases", NodeController.LEASE_NAMESPACE, ""),
          in("create", LEASES, "leases", NodeController.LEASE_NAMESPACE, ""),
          in("patch", LEASES, "leases", NodeController.LEASE_NAMESPACE, ""),
          in("create", LEASES, "leases", OwnershipLease.NAMESPACE, ""),
          in("get", LEASES, "leases", OwnershipLease.NAMESPACE, OwnershipLease.NAME),
          in("patch", LEASES, "leases", OwnershipLease.NAMESPACE, OwnershipLease.NAME),
          in("update", LEASES, "leases", OwnershipLease.NAMESPACE, OwnershipLease.NAME),
          // a candidate watches it to compete the moment its holder gives it up (ReleaseWatch)
          in("watch", LEASES, "leases", OwnershipLease.NAMESPACE, OwnershipLease.NAME),
          in("list", "", "configmaps", "kube-system", "eci-profile"),
          in("watch", "", "configmaps", "kube-system", "eci-profile"));

  private Permissions() {}

  /**
   * The required permissions the API server says this client lacks, in the order of {@link
   * #REQUIRED}; empty when it has them all.
   *
   * @throws KubernetesClientException when the API server cannot be asked
   */
  public static List<Permission> missing(KubernetesClient client) {
    List<Permission> missing = new ArrayList<>();
    for (Permission p : REQUIRED) {
      if (!allowed(client, p)) {
        missing.add(p);
      }
    }
    return missing;
  }

  /**
   * Whether the API server says this client has {@code p}: one SelfSubjectAccessReview, so callers
   * may ask for several permissions at once.
   *
   * @throws KubernetesClientException when the API server cannot be asked
   */
  public static boolean allowed(KubernetesClient client, Permission p) {
    String[] resource = p.resource().split("/", 2);
    SelfSubjectAccessReview review =
        client
            .authorization()
            .v1()
            .selfSubjectAccessReview()
            .create(
                new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withNewResourceAttributes()
                    .withVerb(p.verb())
                    .withGroup(p.group())
                    .withResource(resource[0])
                    .withSubresource(resource.length > 1 ? resource[1] : null)
                    .withNamespace(p.namespace().isEmpty() ? null : p.namespace())
                    .withName(p.name().isEmpty() ? null : p.name())
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
  }

  private static Permission any(String verb, String group, String resource) {
    return new Permission(verb, group, resource, "", "");
  }

  private static Permission in(
      String verb, String group, String resource, String namespace, String name) {
    return new Permission(verb, group, resource, namespace, name);
  }
}
