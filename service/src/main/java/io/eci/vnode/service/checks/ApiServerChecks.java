package io.eci.vnode.service.checks;

import io.eci.vnode.engine.node.Permissions;
import io.eci.vnode.engine.node.Permissions.Permission;
import io.eci.vnode.service.hosting.ClusterConnections;
import io.eci.vnode.service.hosting.HostedCluster;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;

/**
 * The API server's part of the checks: it answers the credentials (the {@code kube-system}
 * namespace's uid, the cluster's identity, is read with them), and its RBAC grants every permission
 * the engine uses ({@link Permissions#REQUIRED}, one SelfSubjectAccessReview each, all at once).
 */
final class ApiServerChecks {

  static final String IDENTITY_NAMESPACE = "kube-system";

  /** Which request fields a failure is about: a kubeconfig holds all three. */
  private record Fields(String url, String caBundle, String credentials) {
    static Fields of(HostedCluster cluster) {
      if (cluster.apiCredentials().kubeconfig() != null) {
        String kubeconfig = "apiServer.credentials.kubeconfig";
        return new Fields(kubeconfig, kubeconfig, kubeconfig);
      }
      return new Fields("apiServer.url", "apiServer.caBundle", "apiServer.credentials");
    }
  }

  private final ClusterConnections connections;
  private final Executor executor;

  ApiServerChecks(ClusterConnections connections, Executor executor) {
    this.connections = connections;
    this.executor = executor;
  }

  /** Checks the API server of {@code cluster}, adding what it finds to {@code findings}. */
  void check(HostedCluster cluster, Findings findings) {
    Fields fields = Fields.of(cluster);
    try (KubernetesClient client = connections.kubernetes(cluster)) {
      if (readIdentity(client, fields, findings)) {
        checkPermissions(client, fields, findings);
      }
    }
  }

  /**
   * Whether the API server answered the credentials at all (so asking for permissions makes sense).
   */
  private boolean readIdentity(KubernetesClient client, Fields fields, Findings findings) {
    try {
      Namespace namespace = client.namespaces().withName(IDENTITY_NAMESPACE).get();
      if (namespace == null || namespace.getMetadata().getUid() == null) {
        findings.problem(
            fields.url(),
            "has no kube-system namespace: is it the API server of a Kubernetes cluster?");
        return false;
      }
      findings.identity(namespace.getMetadata().getUid());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        // Authenticated, but not allowed to read the identity: the review of "get namespaces"
        // names the missing permission with the others.
        return true;
      }
      refused(e, fields, findings);
      return false;
    }
  }

  private void checkPermissions(KubernetesClient client, Fields fields, Findings findings) {
    List<CompletableFuture<Boolean>> reviews = new ArrayList<>();
    for (Permission p : Permissions.REQUIRED) {
      reviews.add(CompletableFuture.supplyAsync(() -> Permissions.allowed(client, p), executor));
    }
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < reviews.size(); i++) {
      try {
        if (!reviews.get(i).join()) {
          missing.add(Permissions.REQUIRED.get(i).toString());
        }
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof KubernetesClientException k) {
          refused(k, fields, findings);
        } else {
          findings.problem(fields.url(), "could not be asked for permissions: " + brief(cause));
        }
        return;
      }
    }
    for (String permission : missing) {
      findings.problem(
          fields.credentials(),
          "RBAC does not let them "
              + permission
              + "; grant it (deploy/cluster/eci-virtual-node.yaml lists every permission)");
    }
  }

  /** A request the API server refused, or that never reached it, as the field it is about. */
  private static void refused(KubernetesClientException e, Fields fields, Findings findings) {
    if (e.getCode() == 401) {
      findings.problem(fields.credentials(), "were refused by the API server (401 Unauthorized)");
    } else if (e.getCode() > 0) {
      findings.problem(
          fields.url(),
          "answered "
              + e.getCode()
              + " to a read of namespace kube-system: "
              + (e.getStatus() == null ? brief(e) : e.getStatus().getMessage()));
    } else if (causedBy(e, SSLException.class)) {
      findings.problem(
          fields.caBundle(),
          "does not make the API server's certificate trusted (TLS handshake failed: "
              + brief(rootCause(e))
              + ")");
    } else {
      findings.problem(fields.url(), "could not be reached: " + brief(rootCause(e)));
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  static String brief(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
