package io.eci.vnode.service.cluster;

import io.eci.vnode.service.ClusterBodies;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Kubeconfig documents for tests. */
final class Kubeconfigs {

  static final String KUBECONFIG_TOKEN = "s3cret-kubeconfig-token-44aa";

  private Kubeconfigs() {}

  /** A self-contained kubeconfig with the test CA and a token user. */
  static String withToken(String server) {
    return withUser(server, "    token: " + KUBECONFIG_TOKEN + "\n");
  }

  /** A kubeconfig whose user is the given YAML lines (indented four spaces). */
  static String withUser(String server, String userLines) {
    String ca =
        Base64.getEncoder()
            .encodeToString(ClusterBodies.pki("ca.pem").getBytes(StandardCharsets.US_ASCII));
    return """
        apiVersion: v1
        kind: Config
        current-context: test
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority-data: %s
        contexts:
        - name: test
          context:
            cluster: test
            user: tester
        users:
        - name: tester
          user:
        %s"""
        .formatted(server, ca, userLines);
  }
}
