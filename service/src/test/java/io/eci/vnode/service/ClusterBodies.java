package io.eci.vnode.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registration bodies as mutable JSON trees, so a test can break exactly one field. */
public final class ClusterBodies {

  /** Secret values that must never come back out of the service. */
  public static final String API_TOKEN = "s3cret-apiserver-token-7f1d2c";

  public static final String ACCESS_KEY_SECRET = "s3cretAccessKeySecret9b8a7c";

  private ClusterBodies() {}

  /** A valid registration: token credentials, AccessKey for ECI, managed. */
  public static Map<String, Object> valid(String name) {
    Map<String, Object> credentials = new LinkedHashMap<>(Map.of("token", API_TOKEN));
    Map<String, Object> apiServer = new LinkedHashMap<>();
    apiServer.put("url", "https://203.0.113.10:6443");
    apiServer.put("caBundle", pki("ca.pem"));
    apiServer.put("credentials", credentials);
    Map<String, Object> eciCredentials = new LinkedHashMap<>();
    eciCredentials.put("accessKeyId", "LTAI5tTestAccessKey");
    eciCredentials.put("accessKeySecret", ACCESS_KEY_SECRET);
    Map<String, Object> eci = new LinkedHashMap<>();
    eci.put("vSwitchIds", new ArrayList<>(List.of("vsw-bp1a", "vsw-bp1b")));
    eci.put("securityGroupId", "sg-bp1test");
    eci.put("kubeProxy", true);
    eci.put("credentials", eciCredentials);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("region", "cn-hangzhou");
    body.put("mode", "managed");
    body.put("apiServer", apiServer);
    body.put("eci", eci);
    return body;
  }

  /** The nested object at a dotted path, e.g. {@code "apiServer.credentials"}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> at(Map<String, Object> body, String path) {
    Map<String, Object> node = body;
    for (String key : path.split("\\.")) {
      node = (Map<String, Object>) node.get(key);
    }
    return node;
  }

  /** A PEM file of the test PKI (a CA, and a client certificate and key it signed). */
  public static String pki(String file) {
    try (InputStream in = ClusterBodies.class.getResourceAsStream("/pki/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
