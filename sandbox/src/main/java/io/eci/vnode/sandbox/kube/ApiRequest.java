package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request, independent of the server framework.
 *
 * @param method the HTTP method, upper case
 * @param path the URL path, without the query
 * @param query the decoded query parameters
 * @param accept the Accept header, or ""
 * @param contentType the Content-Type header, or ""
 * @param bytes the request body, empty when there is none
 */
record ApiRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    String accept,
    String contentType,
    byte[] bytes) {

  /** The body as UTF-8 text. */
  String body() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * The body as an object, decoded as its Content-Type says: JSON, YAML or protobuf.
   *
   * @throws ApiException 415 for CBOR, 400 for a body that does not decode
   */
  ObjectNode object() {
    String type = contentType.toLowerCase(Locale.ROOT);
    if (type.contains("protobuf")) {
      return ProtobufBodies.decode(bytes, contentType);
    }
    if (type.contains("cbor")) {
      throw ApiException.unsupportedMediaType(contentType);
    }
    return Json.parseObject(body(), type.contains("yaml"));
  }

  /** The first value of a query parameter, or null. */
  String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  boolean isWatch() {
    String watch = param("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  boolean dryRun() {
    return query.containsKey("dryRun");
  }

  /** Whether the client asked for server-side printing (kubectl's {@code as=Table}). */
  boolean wantsTable() {
    return accept.contains("as=Table");
  }

  /** Whether the client asked for metadata only ({@code as=PartialObjectMetadata[List]}). */
  boolean wantsPartialMetadata() {
    return accept.contains("as=PartialObjectMetadata");
  }
}
