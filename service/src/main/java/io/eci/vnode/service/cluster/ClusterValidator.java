package io.eci.vnode.service.cluster;

import io.eci.vnode.service.api.InvalidParams;
import io.eci.vnode.service.cluster.ClusterDraft.ApiServer;
import io.eci.vnode.service.cluster.ClusterDraft.Eci;
import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import io.eci.vnode.service.cluster.ClusterSpec.ApiServerSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns what a caller sent into a {@link ClusterDraft}, or a 400 naming every offending field. A
 * change is validated as the cluster it would produce, so a registration and a change obey the same
 * rules. Pure: no configuration, database or network; one validator checks one body.
 */
final class ClusterValidator {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final int MAX_SECRET_CHARS = 65_536;

  private final InvalidParams invalid = new InvalidParams();
  private final EciValidation eciSection = new EciValidation(invalid);
  private final boolean allowPlainHttpLoopback;

  /**
   * @param allowPlainHttpLoopback whether a plain-http API server on loopback is accepted ({@link
   *     ClustersConfig#allowPlainHttpLoopback()})
   */
  ClusterValidator(boolean allowPlainHttpLoopback) {
    this.allowPlainHttpLoopback = allowPlainHttpLoopback;
  }

  /** Validates a registration: every section is required. */
  ClusterDraft registration(ClusterSpec spec) {
    if (spec == null) {
      invalid.add("body", "is required");
      invalid.throwIfAny();
    }
    checkName(spec.name());
    checkRegion(spec.region());
    Mode mode = mode(spec.mode());
    if (spec.apiServer() == null) {
      invalid.add("apiServer", "is required");
    }
    if (spec.eci() == null) {
      invalid.add("eci", "is required");
    }
    ApiServer apiServer = spec.apiServer() == null ? null : apiServer(spec.apiServer(), null);
    Eci eci = spec.eci() == null ? null : eciSection.eci(spec.eci(), null);
    invalid.throwIfAny();
    return new ClusterDraft(
        spec.name(), spec.region(), mode, Boolean.TRUE.equals(spec.paused()), apiServer, eci);
  }

  /** Validates a change applied to a stored cluster; absent fields keep their stored values. */
  ClusterDraft change(ClusterDraft stored, ClusterSpec change) {
    if (change == null) {
      invalid.add("body", "is required");
      invalid.throwIfAny();
    }
    String name = change.name() == null ? stored.name() : change.name();
    checkName(name);
    if (change.region() != null && !change.region().equals(stored.region())) {
      invalid.add(
          "region",
          "cannot change: instances live in their region; register a new cluster instead");
    }
    Mode mode = change.mode() == null ? stored.mode() : mode(change.mode());
    ApiServer apiServer =
        change.apiServer() == null
            ? stored.apiServer()
            : apiServer(change.apiServer(), stored.apiServer());
    Eci eci = change.eci() == null ? stored.eci() : eciSection.eci(change.eci(), stored.eci());
    invalid.throwIfAny();
    boolean paused = change.paused() == null ? stored.paused() : change.paused();
    return new ClusterDraft(name, stored.region(), mode, paused, apiServer, eci);
  }

  private void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      invalid.add(
          "name",
          "must be 1-63 lowercase letters, digits or '-', starting and ending alphanumeric");
    }
  }

  private void checkRegion(String region) {
    if (region == null) {
      invalid.add("region", "is required");
    } else if (!Regions.ECI.contains(region)) {
      invalid.add(
          "region",
          "is not a region that offers ECI; known regions: " + String.join(", ", Regions.ECI));
    }
  }

  private Mode mode(String mode) {
    if (mode == null) {
      invalid.add("mode", "is required: managed or unmanaged");
      return null;
    }
    return Mode.fromWire(mode)
        .orElseGet(
            () -> {
              invalid.add("mode", "must be managed or unmanaged");
              return null;
            });
  }

  private ApiServer apiServer(ApiServerSpec spec, ApiServer stored) {
    ApiCredentialsSpec credentials = spec.credentials();
    String type;
    if (credentials != null) {
      type = apiCredentialType(credentials);
    } else if (stored != null) {
      type = stored.credentialType();
    } else {
      invalid.add(
          "apiServer.credentials",
          "is required: token, clientCertificate+clientKey, or kubeconfig");
      return null;
    }
    if (Cluster.KUBECONFIG.equals(type)) {
      return fromKubeconfig(spec, stored, credentials);
    }
    String url = spec.url() != null ? spec.url() : stored == null ? null : stored.url();
    String caBundle =
        spec.caBundle() != null ? spec.caBundle() : stored == null ? null : stored.caBundle();
    checkUrl(url, "apiServer.url");
    if (caBundle != null && !Pem.isCertificateBundle(caBundle)) {
      invalid.add("apiServer.caBundle", "is not a bundle of PEM X.509 certificates");
    }
    return new ApiServer(url, caBundle, type, credentials);
  }

  private ApiServer fromKubeconfig(
      ApiServerSpec spec, ApiServer stored, ApiCredentialsSpec credentials) {
    if (spec.url() != null) {
      invalid.add(
          "apiServer.url", "is taken from the kubeconfig; omit it or change the kubeconfig");
    }
    if (spec.caBundle() != null) {
      invalid.add(
          "apiServer.caBundle", "is taken from the kubeconfig; omit it or change the kubeconfig");
    }
    if (credentials == null) {
      return stored;
    }
    String field = "apiServer.credentials.kubeconfig";
    return KubeconfigReader.read(credentials.kubeconfig(), field, invalid)
        .map(
            endpoint -> {
              checkUrl(endpoint.server(), field + " server");
              return new ApiServer(
                  endpoint.server(), endpoint.caBundle(), Cluster.KUBECONFIG, credentials);
            })
        .orElse(null);
  }

  private String apiCredentialType(ApiCredentialsSpec c) {
    String field = "apiServer.credentials";
    int given =
        count(c.token(), c.kubeconfig())
            + (c.clientCertificate() != null || c.clientKey() != null ? 1 : 0);
    if (given != 1) {
      invalid.add(field, "give exactly one of: token, clientCertificate+clientKey, kubeconfig");
      return null;
    }
    if (c.token() != null) {
      checkSecret(invalid, c.token(), field + ".token");
      if (c.token().chars().anyMatch(Character::isWhitespace)) {
        invalid.add(field + ".token", "must not contain whitespace");
      }
      return Cluster.TOKEN;
    }
    if (c.kubeconfig() != null) {
      checkSecret(invalid, c.kubeconfig(), field + ".kubeconfig");
      return Cluster.KUBECONFIG;
    }
    if (!Pem.isCertificateBundle(c.clientCertificate())) {
      invalid.add(field + ".clientCertificate", "is not a PEM X.509 certificate");
    }
    if (!Pem.isPrivateKey(c.clientKey())) {
      invalid.add(field + ".clientKey", "is not a PEM private key");
    }
    return Cluster.CLIENT_CERTIFICATE;
  }

  private void checkUrl(String url, String field) {
    if (url == null) {
      invalid.add(field, "is required");
      return;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      invalid.add(field, "is not a URL");
      return;
    }
    if (!uri.isAbsolute() || uri.getHost() == null) {
      invalid.add(field, "is not an absolute URL with a host");
    } else if (!"https".equalsIgnoreCase(uri.getScheme()) && !plainHttpAllowed(uri)) {
      invalid.add(field, "must use https: the service sends cluster credentials to it");
    } else if (uri.getUserInfo() != null || uri.getQuery() != null || uri.getFragment() != null) {
      invalid.add(field, "must be scheme, host, port and path only");
    }
  }

  /**
   * Plain http only to a loopback API server, and only where the operator turned it on ({@code
   * vnode.clusters.allow-plain-http-loopback}: the local sandbox and the tests, whose Kubernetes
   * stand-ins speak http).
   */
  private boolean plainHttpAllowed(URI uri) {
    boolean loopback =
        "http".equalsIgnoreCase(uri.getScheme())
            && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
    return loopback && allowPlainHttpLoopback;
  }

  /** Records under {@code field} a secret that is blank or too long to be one. */
  static void checkSecret(InvalidParams invalid, String value, String field) {
    if (value.isBlank()) {
      invalid.add(field, "must not be blank");
    } else if (value.length() > MAX_SECRET_CHARS) {
      invalid.add(field, "is longer than " + MAX_SECRET_CHARS + " characters");
    }
  }

  private static int count(String... values) {
    return (int) Arrays.stream(values).filter(Objects::nonNull).count();
  }
}
