package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Watches on the wire: chunked HTTP (kubectl, client-go) and WebSocket (fabric8's default). */
class WatchTransportIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Cluster kube;
  private KubernetesClient client;
  private RawHttp http;

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    client = kube.client();
    http = new RawHttp(kube);
  }

  @AfterEach
  void stop() {
    if (kube != null) { // null when the cluster is not available and the test is skipped
      kube.close(); // ends every open watch, so the readers below finish
    }
  }

  @Test
  void chunkedHttpWatchStreamsOneJsonEventPerLine() throws Exception {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    HttpResponse<Stream<String>> response =
        openHttpWatch("/api/v1/namespaces/default/pods?watch=true", "application/json", events);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));

    client.pods().inNamespace("default").resource(TestPods.labelled("default", "web")).create();

    await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
    assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
    assertThat(events.get(0).path("object").path("metadata").path("name").asText())
        .isEqualTo("web");
    assertThat(events.get(0).path("object").path("metadata").path("resourceVersion").asText())
        .isNotBlank();
  }

  @Test
  void watchFromAResourceVersionReplaysOnlyLaterChanges() throws Exception {
    client.pods().inNamespace("default").resource(TestPods.labelled("default", "before")).create();
    String listed = client.pods().inNamespace("default").list().getMetadata().getResourceVersion();
    client.pods().inNamespace("default").resource(TestPods.labelled("default", "after")).create();

    List<JsonNode> events = new CopyOnWriteArrayList<>();
    openHttpWatch(
        "/api/v1/namespaces/default/pods?watch=1&resourceVersion=" + listed,
        "application/json",
        events);
    client.pods().inNamespace("default").withName("before").delete();

    // the deletion marks the pod before it removes it, as a real server does
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);
    assertThat(events)
        .extracting(
            e ->
                e.path("type").asText()
                    + " "
                    + e.path("object").path("metadata").path("name").asText())
        .containsExactly("ADDED after", "MODIFIED before", "DELETED before");
  }

  @Test
  void tableWatchWrapsEachObjectInATableWithColumnsOnlyFirst() throws Exception {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    openHttpWatch(
        "/api/v1/namespaces/default/pods?watch=true",
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
        events);

    client.pods().inNamespace("default").resource(TestPods.labelled("default", "one")).create();
    client.pods().inNamespace("default").resource(TestPods.labelled("default", "two")).create();

    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    JsonNode first = events.get(0).path("object");
    assertThat(first.path("kind").asText()).isEqualTo("Table");
    assertThat(first.path("columnDefinitions").findValuesAsText("name"))
        .startsWith("Name", "Ready", "Status");
    assertThat(first.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("one");
    assertThat(first.path("rows").get(0).path("object").path("kind").asText())
        .isEqualTo("PartialObjectMetadata");
    JsonNode second = events.get(1).path("object");
    assertThat(second.path("columnDefinitions")).isEmpty();
    assertThat(second.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("two");
  }

  @Test
  void timeoutSecondsEndsTheWatch() throws Exception {
    HttpResponse<Stream<String>> response =
        http.client()
            .send(
                http.request("/api/v1/pods?watch=true&timeoutSeconds=1").build(),
                HttpResponse.BodyHandlers.ofLines());
    CompletableFuture<Long> ended = CompletableFuture.supplyAsync(() -> response.body().count());

    assertThat(ended.get(10, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void webSocketWatchSendsOneEventPerTextFrameAndHonoursFieldSelectors() throws Exception {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    URI uri =
        URI.create(
            kube.url().replaceFirst("^http", "ws")
                + "/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3Dvk");
    // the API server's WebSocket handler refuses a handshake without an Origin (fabric8 sends one)
    WebSocket.Builder builder = http.client().newWebSocketBuilder().header("Origin", kube.url());
    kube.authorization().ifPresent(value -> builder.header("Authorization", value));
    WebSocket socket = builder.buildAsync(uri, collector(events)).get(10, TimeUnit.SECONDS);
    try {
      client
          .pods()
          .inNamespace("default")
          .resource(TestPods.labelled("default", "unbound"))
          .create();
      client.pods().inNamespace("default").resource(TestPods.labelled("default", "bound")).create();
      client.bindings().inNamespace("default").resource(TestPods.binding("bound", "vk")).create();

      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
      assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
      assertThat(events.get(0).path("object").path("metadata").path("name").asText())
          .isEqualTo("bound");
    } finally {
      socket.abort();
    }
  }

  @Test
  void anInvalidWatchIsRefusedBeforeItStreams() throws Exception {
    HttpResponse<String> response =
        http.client()
            .send(
                http.request("/api/v1/pods?watch=true&fieldSelector=spec.bogus%3D1").build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode status = MAPPER.readTree(response.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("code").asInt()).isEqualTo(400);
  }

  private HttpResponse<Stream<String>> openHttpWatch(
      String path, String accept, List<JsonNode> events) throws Exception {
    HttpResponse<Stream<String>> response =
        http.client()
            .send(
                http.request(path).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofLines());
    Thread reader =
        new Thread(
            () -> {
              try {
                response.body().forEach(line -> events.add(parse(line)));
              } catch (RuntimeException e) {
                // the server closed the watch
              }
            },
            "http-watch-reader");
    reader.setDaemon(true);
    reader.start();
    return response;
  }

  private static WebSocket.Listener collector(List<JsonNode> events) {
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          events.add(parse(partial.toString()));
          partial.setLength(0);
        }
        webSocket.request(1);
        return null;
      }
    };
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
