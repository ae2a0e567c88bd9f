package io.eci.vnode.service.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.eci.vnode.service.api.InvalidParams;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a kubeconfig supplied at registration. It is only parsed, never handed to a client that
 * would act on it: exec and auth-provider plugins would run commands inside the service, and file
 * paths would read the service's files, so both are refused. The document must be self-contained.
 */
final class KubeconfigReader {

  /** What the service takes from a kubeconfig: where the API server is and which CAs sign it. */
  record Endpoint(String server, String caBundle) {}

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private KubeconfigReader() {}

  /**
   * The endpoint of the current context, or empty with the reasons recorded under {@code field}.
   */
  static Optional<Endpoint> read(String document, String field, InvalidParams invalid) {
    Config config;
    try {
      config = YAML.readValue(document, Config.class);
    } catch (JsonProcessingException e) {
      // The parser's message quotes the document, which holds credentials: only the position is
      // kept.
      var at = e.getLocation();
      invalid.add(
          field,
          "is not a kubeconfig YAML document"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
      return Optional.empty();
    }
    if (config == null
        || config.getCurrentContext() == null
        || config.getCurrentContext().isBlank()) {
      invalid.add(field, "has no current-context");
      return Optional.empty();
    }
    Context context =
        named(config.getContexts(), NamedContext::getName, config.getCurrentContext())
            .map(NamedContext::getContext)
            .orElse(null);
    if (context == null) {
      invalid.add(field, "current-context '" + config.getCurrentContext() + "' is not defined");
      return Optional.empty();
    }
    var cluster =
        named(config.getClusters(), NamedCluster::getName, context.getCluster())
            .map(NamedCluster::getCluster)
            .orElse(null);
    AuthInfo user =
        named(config.getUsers(), NamedAuthInfo::getName, context.getUser())
            .map(NamedAuthInfo::getUser)
            .orElse(null);
    if (cluster == null || user == null) {
      invalid.add(
          field, "the current context must name a cluster and a user defined in the document");
      return Optional.empty();
    }
    checkUser(user, field, invalid);
    if (cluster.getCertificateAuthority() != null) {
      invalid.add(
          field, "certificate-authority points to a file; embed certificate-authority-data");
    }
    if (Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify())) {
      invalid.add(
          field, "insecure-skip-tls-verify is not accepted; embed certificate-authority-data");
    }
    String caBundle = decode(cluster.getCertificateAuthorityData());
    if (cluster.getCertificateAuthorityData() != null && !Pem.isCertificateBundle(caBundle)) {
      invalid.add(field, "certificate-authority-data is not base64 of PEM certificates");
    }
    return Optional.of(new Endpoint(cluster.getServer(), caBundle));
  }

  private static void checkUser(AuthInfo user, String field, InvalidParams invalid) {
    if (user.getExec() != null || user.getAuthProvider() != null) {
      invalid.add(
          field,
          "exec and auth-provider plugins cannot run in the hosted service; use a token or a client certificate");
    }
    if (user.getTokenFile() != null
        || user.getClientCertificate() != null
        || user.getClientKey() != null) {
      invalid.add(
          field,
          "the user refers to files; embed token or client-certificate-data/client-key-data");
    }
    boolean token = user.getToken() != null && !user.getToken().isBlank();
    boolean certificate =
        user.getClientCertificateData() != null && user.getClientKeyData() != null;
    if (!token && !certificate) {
      invalid.add(field, "the user needs a token, or client-certificate-data with client-key-data");
    }
  }

  private static <T> Optional<T> named(List<T> items, Function<T, String> name, String wanted) {
    if (items == null || wanted == null) {
      return Optional.empty();
    }
    return items.stream().filter(i -> wanted.equals(name.apply(i))).findFirst();
  }

  private static String decode(String base64) {
    if (base64 == null) {
      return null;
    }
    try {
      return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
