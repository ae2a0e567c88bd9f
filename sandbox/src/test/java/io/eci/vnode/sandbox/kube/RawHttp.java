package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.sandbox.Cluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP calls against a stand-in or a real API server, for asserting on status codes and wire
 * formats.
 */
final class RawHttp {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String base;
  private final Cluster cluster;
  private final HttpClient client;

  RawHttp(Cluster cluster) {
    this.base = cluster.url();
    this.cluster = cluster;
    this.client = cluster.httpClient();
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
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    cluster.authorization().ifPresent(value -> request.header("Authorization", value));
    return request;
  }

  HttpClient client() {
    return client;
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
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
