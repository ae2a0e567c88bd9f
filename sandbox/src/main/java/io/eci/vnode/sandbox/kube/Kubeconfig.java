package io.eci.vnode.sandbox.kube;

/** The kubeconfig document for a stand-in: one cluster, one context, a user without credentials. */
final class Kubeconfig {

  private Kubeconfig() {}

  static String forServer(String url) {
    return forUser(url, "{}");
  }

  /** The same, its user authenticating with a bearer token. */
  static String forServer(String url, String token) {
    return forUser(url, "\n    token: " + token);
  }

  private static String forUser(String url, String user) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: %s
        users:
        - name: sandbox
          user: %s
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: default
        current-context: sandbox
        preferences: {}
        """
        .formatted(url, user);
  }
}
