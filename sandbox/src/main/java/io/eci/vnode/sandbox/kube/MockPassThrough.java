package io.eci.vnode.sandbox.kube;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What the stand-in does not model (custom resources, CRDs, unknown groups) goes to fabric8's CRUD
 * mock unchanged, and its answer back.
 */
final class MockPassThrough {

  private final ObjectStore store;

  MockPassThrough(ObjectStore store) {
    this.store = store;
  }

  /** Whether {@code path} is {@code /apis/<group>} or {@code /apis/<group>/<version>}. */
  static boolean isGroupDiscovery(String path) {
    String[] segments = path.split("/");
    return path.startsWith("/apis/") && (segments.length == 3 || segments.length == 4);
  }

  /**
   * The discovery document of a group only fabric8 knows (a CRD created through the pass-through).
   *
   * @throws ApiException 404 when fabric8 serves no resources in it either
   */
  ApiResponse groupDiscovery(ApiRequest request) {
    ApiResponse fromMock = answer(request);
    if (fromMock.code() == 200 && servesResources(fromMock.body())) {
      return fromMock;
    }
    throw ApiException.notFound("the server could not find the requested resource");
  }

  /** fabric8's answer to {@code request}; watches of what it stores are not supported. */
  ApiResponse answer(ApiRequest request) {
    HttpMethod method;
    try {
      method = HttpMethod.valueOf(request.method().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.methodNotAllowed("unsupported method " + request.method());
    }
    if (request.isWatch()) {
      throw ApiException.notFound("watching resources the sandbox does not model is not supported");
    }
    Headers headers =
        Headers.builder()
            .add("Content-Type", request.contentType())
            .add("Accept", request.accept())
            .build();
    String target = request.path() + queryString(request);
    RecordedRequest recorded =
        new RecordedRequest("HTTP/1.1", method, target, headers, new Buffer(request.bytes()));
    MockResponse response = store.passThrough(recorded);
    Buffer body = response.getBody();
    String text = body == null ? "" : new String(body.getBytes(), StandardCharsets.UTF_8);
    return new ApiResponse(response.code(), "application/json", text);
  }

  private static boolean servesResources(String body) {
    try {
      return !Json.parse(body, false).path("resources").isEmpty();
    } catch (ApiException e) {
      return false;
    }
  }

  private static String queryString(ApiRequest request) {
    StringBuilder query = new StringBuilder();
    request
        .query()
        .forEach(
            (name, values) ->
                values.forEach(
                    value ->
                        query
                            .append(query.length() == 0 ? "?" : "&")
                            .append(name)
                            .append('=')
                            .append(URLEncoder.encode(value, StandardCharsets.UTF_8))));
    return query.toString();
  }
}
