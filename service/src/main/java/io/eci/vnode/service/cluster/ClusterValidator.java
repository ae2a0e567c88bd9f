package io.eci.vnode.service.cluster;

import io.eci.vnode.service.api.InvalidParams;
import io.eci.vnode.service.cluster.ClusterDraft.ApiServer;
import io.eci.vnode.service.cluster.ClusterDraft.Eci;
import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import io.eci.vnode.service.cluster.ClusterSpec.ApiServerSpec;
import io.eci.vnode.service.cluster.ClusterSpec.EciCredentialsSpec;
import io.eci.vnode.service.cluster.ClusterSpec.EciSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Turns what a caller sent into a {@link ClusterDraft}, or a 400 naming every offending field. A
 * change is validated as the cluster it would produce, so a registration and a change obey the same
 * rules.
 */
final class ClusterValidator {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern VSWITCH = Pattern.compile("vsw-[a-z0-9]{1,64}");
  private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[a-z0-9]{1,64}");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9]{8,128}");
  private static final Pattern RAM_ROLE_ARN =
      Pattern.compile("acs:ram::[0-9]{1,32}:role/[A-Za-z0-9._@-]{1,64}");
  private static final int MAX_VSWITCHES = 10;
  private static final int MAX_SECRET_CHARS = 65_536;

  private final InvalidParams invalid = new InvalidParams();

  private ClusterValidator() {}

  /** Validates a registration: every section is required. */
  static ClusterDraft registration(ClusterSpec spec) {
    ClusterValidator v = new ClusterValidator();
    if (spec == null) {
      v.invalid.add("body", "is required");
      v.invalid.throwIfAny();
    }
    v.checkName(spec.name());
    v.checkRegion(spec.region());
    Mode mode = v.mode(spec.mode());
    if (spec.apiServer() == null) {
      v.invalid.add("apiServer", "is required");
    }
    if (spec.eci() == null) {
      v.invalid.add("eci", "is required");
    }
    ApiServer apiServer = spec.apiServer() == null ? null : v.apiServer(spec.apiServer(), null);
    Eci eci = spec.eci() == null ? null : v.eci(spec.eci(), null);
    v.invalid.throwIfAny();
    return new ClusterDraft(
        spec.name(), spec.region(), mode, Boolean.TRUE.equals(spec.paused()), apiServer, eci);
  }

  /** Validates a change applied to a stored cluster; absent fields keep their stored values. */
  static ClusterDraft change(ClusterDraft stored, ClusterSpec change) {
    ClusterValidator v = new ClusterValidator();
    if (change == null) {
      v.invalid.add("body", "is required");
      v.invalid.throwIfAny();
    }
    String name = change.name() == null ? stored.name() : change.name();
    v.checkName(name);
    if (change.region() != null && !change.region().equals(stored.region())) {
      v.invalid.add(
          "region",
          "cannot change: instances live in their region; register a new cluster instead");
    }
    Mode mode = change.mode() == null ? stored.mode() : v.mode(change.mode());
    ApiServer apiServer =
        change.apiServer() == null
            ? stored.apiServer()
            : v.apiServer(change.apiServer(), stored.apiServer());
    Eci eci = change.eci() == null ? stored.eci() : v.eci(change.eci(), stored.eci());
    v.invalid.throwIfAny();
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
    if (ClusterDraft.KUBECONFIG.equals(type)) {
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
                  endpoint.server(), endpoint.caBundle(), ClusterDraft.KUBECONFIG, credentials);
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
      checkSecret(c.token(), field + ".token");
      if (c.token().chars().anyMatch(Character::isWhitespace)) {
        invalid.add(field + ".token", "must not contain whitespace");
      }
      return ClusterDraft.TOKEN;
    }
    if (c.kubeconfig() != null) {
      checkSecret(c.kubeconfig(), field + ".kubeconfig");
      return ClusterDraft.KUBECONFIG;
    }
    if (!Pem.isCertificateBundle(c.clientCertificate())) {
      invalid.add(field + ".clientCertificate", "is not a PEM X.509 certificate");
    }
    if (!Pem.isPrivateKey(c.clientKey())) {
      invalid.add(field + ".clientKey", "is not a PEM private key");
    }
    return ClusterDraft.CLIENT_CERTIFICATE;
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
  private static boolean plainHttpAllowed(URI uri) {
    boolean loopback =
        "http".equalsIgnoreCase(uri.getScheme())
            && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
    return loopback
        && org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getOptionalValue("vnode.clusters.allow-plain-http-loopback", Boolean.class)
            .orElse(false);
  }

  private Eci eci(EciSpec spec, Eci stored) {
    List<String> vSwitchIds =
        spec.vSwitchIds() != null ? spec.vSwitchIds() : stored == null ? null : stored.vSwitchIds();
    String securityGroupId =
        spec.securityGroupId() != null
            ? spec.securityGroupId()
            : stored == null ? null : stored.securityGroupId();
    boolean kubeProxy =
        spec.kubeProxy() != null ? spec.kubeProxy() : stored == null || stored.kubeProxy();
    checkVSwitches(vSwitchIds);
    if (securityGroupId == null) {
      invalid.add("eci.securityGroupId", "is required");
    } else if (!SECURITY_GROUP.matcher(securityGroupId).matches()) {
      invalid.add("eci.securityGroupId", "must look like sg-<lowercase letters and digits>");
    }
    EciCredentialsSpec credentials = spec.credentials();
    if (credentials == null) {
      if (stored == null) {
        invalid.add("eci.credentials", "is required: accessKeyId+accessKeySecret, or ramRoleArn");
        return null;
      }
      return new Eci(
          vSwitchIds,
          securityGroupId,
          kubeProxy,
          stored.credentialType(),
          stored.accessKeyId(),
          null,
          stored.ramRoleArn());
    }
    return withCredentials(vSwitchIds, securityGroupId, kubeProxy, credentials);
  }

  private Eci withCredentials(
      List<String> vSwitchIds, String securityGroupId, boolean kubeProxy, EciCredentialsSpec c) {
    String field = "eci.credentials";
    boolean accessKey = c.accessKeyId() != null || c.accessKeySecret() != null;
    if (accessKey == (c.ramRoleArn() != null)) {
      invalid.add(field, "give exactly one of: accessKeyId+accessKeySecret, ramRoleArn");
      return null;
    }
    if (!accessKey) {
      if (!RAM_ROLE_ARN.matcher(c.ramRoleArn()).matches()) {
        invalid.add(field + ".ramRoleArn", "must look like acs:ram::<account id>:role/<role name>");
      }
      return new Eci(
          vSwitchIds,
          securityGroupId,
          kubeProxy,
          ClusterDraft.RAM_ROLE,
          null,
          null,
          c.ramRoleArn());
    }
    if (c.accessKeyId() == null || !ACCESS_KEY_ID.matcher(c.accessKeyId()).matches()) {
      invalid.add(field + ".accessKeyId", "must be 8-128 letters and digits");
    }
    if (c.accessKeySecret() == null) {
      invalid.add(field + ".accessKeySecret", "is required with accessKeyId");
    } else {
      checkSecret(c.accessKeySecret(), field + ".accessKeySecret");
    }
    return new Eci(
        vSwitchIds,
        securityGroupId,
        kubeProxy,
        ClusterDraft.ACCESS_KEY,
        c.accessKeyId(),
        c.accessKeySecret(),
        null);
  }

  private void checkVSwitches(List<String> ids) {
    if (ids == null || ids.isEmpty()) {
      invalid.add("eci.vSwitchIds", "needs at least one vSwitch id");
      return;
    }
    if (ids.size() > MAX_VSWITCHES) {
      invalid.add("eci.vSwitchIds", "may list at most " + MAX_VSWITCHES + " vSwitches");
    }
    var seen = new HashSet<String>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id == null || !VSWITCH.matcher(id).matches()) {
        invalid.add(
            "eci.vSwitchIds[" + i + "]", "must look like vsw-<lowercase letters and digits>");
      } else if (!seen.add(id)) {
        invalid.add("eci.vSwitchIds[" + i + "]", "repeats " + id);
      }
    }
  }

  private void checkSecret(String value, String field) {
    if (value.isBlank()) {
      invalid.add(field, "must not be blank");
    } else if (value.length() > MAX_SECRET_CHARS) {
      invalid.add(field, "is longer than " + MAX_SECRET_CHARS + " characters");
    }
  }

  private static int count(String... values) {
    return (int) java.util.Arrays.stream(values).filter(Objects::nonNull).count();
  }
}
