package io.eci.vnode.sandbox.eci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's own HTTP API, beside the ECI one and unauthenticated (it listens on loopback only):
 * {@code GET /_sandbox/counters}, {@code GET /_sandbox/instances}, {@code POST /_sandbox/faults},
 * {@code POST /_sandbox/clock} and {@code POST /_sandbox/reset}. Described in docs/sandbox.md.
 */
final class AdminApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Faults faults;
  private final Counters counters;
  private final SandboxClock clock;
  private final ContainerGroupStore store;
  private final Lifecycle lifecycle;

  AdminApi(
      Faults faults,
      Counters counters,
      SandboxClock clock,
      ContainerGroupStore store,
      Lifecycle lifecycle) {
    this.faults = faults;
    this.counters = counters;
    this.clock = clock;
    this.store = store;
    this.lifecycle = lifecycle;
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      try {
        Object answer =
            switch (method + " " + path) {
              case "GET /_sandbox/counters" -> counters.snapshot();
              case "GET /_sandbox/instances" -> instances();
              case "POST /_sandbox/faults" -> fault(body(exchange));
              case "POST /_sandbox/clock" -> advance(body(exchange));
              case "POST /_sandbox/reset" -> reset();
              default ->
                  throw new IllegalArgumentException("no such admin call: " + method + " " + path);
            };
        EciServer.send(exchange, 200, answer);
      } catch (IllegalArgumentException | JsonProcessingException e) {
        EciServer.send(exchange, 400, Map.of("error", String.valueOf(e.getMessage())));
      }
    }
  }

  private Object instances() {
    Instant now = clock.now();
    return store.all().stream()
        .map(
            g ->
                Map.of(
                    "id",
                    g.id,
                    "name",
                    g.name,
                    "zone",
                    g.zoneId,
                    "status",
                    lifecycle.at(g, now).status(),
                    "tags",
                    g.tags))
        .toList();
  }

  private Object fault(JsonNode f) {
    String name = f.path("fault").asText();
    switch (name) {
      case "stockOut" ->
          faults.stockOut(
              text(f, "zone"), Faults.StockOut.valueOf(f.path("mode").asText("REJECT")));
      case "restock" -> faults.restock(text(f, "zone"));
      case "failNext" -> faults.failNext(text(f, "action"), EciFault.valueOf(text(f, "error")));
      case "throttle" -> faults.throttleAbove(f.path("qps").asInt());
      case "serverErrors" -> faults.serverErrors(f.path("rate").asDouble());
      case "latency" -> faults.latency(Duration.ofMillis(f.path("millis").asLong()));
      case "stall" -> faults.stall();
      case "release" -> faults.release();
      case "reset" -> faults.reset();
      default ->
          throw new IllegalArgumentException(
              "unknown fault '"
                  + name
                  + "'; known: "
                  + List.of(
                      "stockOut",
                      "restock",
                      "failNext",
                      "throttle",
                      "serverErrors",
                      "latency",
                      "stall",
                      "release",
                      "reset"));
    }
    return Map.of("applied", name);
  }

  private Object advance(JsonNode body) {
    clock.advance(Duration.ofMillis((long) (body.path("seconds").asDouble() * 1000)));
    return Map.of("now", clock.now().toString());
  }

  private Object reset() {
    faults.reset();
    counters.reset();
    return Map.of("reset", true);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.asText().isEmpty()) {
      throw new IllegalArgumentException("'" + field + "' is required");
    }
    return value.asText();
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    return raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
  }
}
