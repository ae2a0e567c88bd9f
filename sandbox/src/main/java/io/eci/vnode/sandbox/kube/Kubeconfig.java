package io.eci.vnode.sandbox.kube;

/** The kubeconfig document for a stand-in: one cluster, one context, a user without credentials. */
final class Kubeconfig {

  private Kubeconfig() {}

  static String forServer(String url) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: %s
        users:
        - name: sandbox
          user: {}
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: default
        current-context: sandbox
        preferences: {}
        """
        .formatted(url);
  }
}
