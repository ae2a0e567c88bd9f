package io.eci.vnode.sandbox.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A kubeconfig for a control plane: context {@code e2e}, namespace {@code default}, the authority
 * and the credentials embedded, so that the file alone is enough for kubectl or a client.
 */
final class ControlPlaneKubeconfig {

  private ControlPlaneKubeconfig() {}

  /** The document for a client of {@code server} who trusts {@code caPem}. */
  static String document(String server, String caPem, Credentials credentials) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: e2e
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
        %scontexts:
        - name: e2e
          context:
            cluster: e2e
            user: %s
            namespace: default
        current-context: e2e
        """
        .formatted(
            server,
            base64(caPem),
            quoted(credentials.user()),
            credentials.kubeconfigUser(),
            quoted(credentials.user()));
  }

  /** Writes {@code document} to {@code file}, creating its directory; returns the file. */
  static Path write(Path file, String document) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
