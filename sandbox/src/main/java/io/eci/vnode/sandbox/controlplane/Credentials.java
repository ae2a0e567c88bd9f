package io.eci.vnode.sandbox.controlplane;

import io.fabric8.kubernetes.client.ConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Who a client is to a control plane: a bearer token or a client certificate. */
public sealed interface Credentials {

  /** The user the API server sees. */
  String user();

  /** Adds these credentials to a fabric8 client configuration. */
  ConfigBuilder applyTo(ConfigBuilder config);

  /** The {@code users[].user} entry of a kubeconfig, as YAML lines indented by four spaces. */
  String kubeconfigUser();

  /** A bearer token: a static one of the API server's token file, or a ServiceAccount's. */
  record Token(String user, String token) implements Credentials {
    @Override
    public ConfigBuilder applyTo(ConfigBuilder config) {
      return config.withOauthToken(token);
    }

    @Override
    public String kubeconfigUser() {
      return "    token: " + token + "\n";
    }
  }

  /** A client certificate the control plane's authority signed. */
  record ClientCertificate(String user, Pki.Issued certificate) implements Credentials {
    @Override
    public ConfigBuilder applyTo(ConfigBuilder config) {
      return config
          .withClientCertData(base64(certificate.certificatePem()))
          .withClientKeyData(base64(certificate.keyPem()));
    }

    @Override
    public String kubeconfigUser() {
      return "    client-certificate-data: "
          + base64(certificate.certificatePem())
          + "\n    client-key-data: "
          + base64(certificate.keyPem())
          + "\n";
    }
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
