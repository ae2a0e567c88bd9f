package io.eci.vnode.sandbox.eci;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of Alibaba Cloud's RPC-style OpenAPI (SignatureVersion 1.0, HMAC-SHA1), computed
 * the way the server side does: over the decoded parameters, re-encoded canonically, never over the
 * raw query (the SDK's wire encoding differs from the canonical one for {@code *} and {@code ~}).
 */
public final class RpcSignature {

  /** The name of the parameter that carries the signature; it is not itself signed. */
  public static final String PARAMETER = "Signature";

  private RpcSignature() {}

  /**
   * The Base64 signature of a request.
   *
   * @param method the HTTP method, GET or POST
   * @param parameters every decoded query and form-body parameter; {@code Signature} is ignored
   * @param accessKeySecret the secret of the caller's AccessKey
   */
  public static String sign(String method, Map<String, String> parameters, String accessKeySecret) {
    return hmacSha1(accessKeySecret + "&", stringToSign(method, parameters));
  }

  /** Whether {@code presented} is the signature of the request, compared in constant time. */
  public static boolean verify(
      String method, Map<String, String> parameters, String accessKeySecret, String presented) {
    byte[] expected = sign(method, parameters, accessKeySecret).getBytes(StandardCharsets.US_ASCII);
    return presented != null
        && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.US_ASCII));
  }

  /** The string the HMAC is taken over: method, encoded path and the sorted, encoded parameters. */
  public static String stringToSign(String method, Map<String, String> parameters) {
    String canonical =
        new TreeMap<>(parameters)
            .entrySet().stream()
                .filter(e -> !PARAMETER.equals(e.getKey()))
                .map(e -> percentEncode(e.getKey()) + "=" + percentEncode(e.getValue()))
                .collect(Collectors.joining("&"));
    return method + "&" + percentEncode("/") + "&" + percentEncode(canonical);
  }

  /** RFC 3986 encoding: unreserved characters stay, everything else is %XX of its UTF-8 bytes. */
  static String percentEncode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  private static String hmacSha1(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA1", e);
    }
  }
}
