package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls against a stand-in, for asserting on status codes and wire formats. */
final class RawHttp {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  RawHttp(KubeSandbox kube) {
    this.base = kube.url();
  }

  /** A response's status code and parsed JSON body. */
  record Reply(int code, JsonNode body, HttpResponse<String> raw) {}

  Reply get(String path) {
    return send(request(path).GET().build());
  }

  Reply get(String path, String accept) {
    return send(request(path).header("Accept", accept).GET().build());
  }

  Reply send(String method, String path, String contentType, String body) {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
  }

  static HttpClient client() {
    return CLIENT;
  }

  private static Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonNode json =
          text.isEmpty() || !text.trim().startsWith("{")
              ? MAPPER.missingNode()
              : MAPPER.readTree(text);
      return new Reply(response.statusCode(), json, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
