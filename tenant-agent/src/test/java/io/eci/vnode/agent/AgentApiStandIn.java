package io.eci.vnode.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The service's agent API as its contract says, in the test: {@code GET /agent/v1/config} with
 * ETag, If-None-Match and a long poll of {@code wait} seconds (304 when nothing changed), 401 for a
 * token it does not know; {@code PUT /agent/v1/status} answered 204 and recorded.
 */
final class AgentApiStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final List<String> statuses = new CopyOnWriteArrayList<>();
  private final List<String> configRequests = new CopyOnWriteArrayList<>();
  private ObjectNode config;
  private HttpServer server;

  AgentApiStandIn(String token, ObjectNode config) {
    tokens.add(token);
    this.config = config;
  }

  /** Starts serving on {@code port} of the loopback (0: a free one); returns the port. */
  synchronized int start(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Long polls each hold a thread for their wait.
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/agent/v1/config", this::config);
    server.createContext("/agent/v1/status", this::status);
    server.start();
    return server.getAddress().getPort();
  }

  /** Changes the configuration (its version goes up by one) and wakes the long polls. */
  synchronized void change(Consumer<ObjectNode> edit) {
    ObjectNode next = config.deepCopy();
    edit.accept(next);
    next.put("version", config.path("version").asLong() + 1);
    config = next;
    notifyAll();
  }

  synchronized ObjectNode current() {
    return config.deepCopy();
  }

  void revoke(String token) {
    tokens.remove(token);
  }

  void allow(String token) {
    tokens.add(token);
  }

  /** The status reports received, oldest first. */
  List<String> statuses() {
    return List.copyOf(statuses);
  }

  private static String etag(ObjectNode config) {
    return "\"v" + config.path("version").asLong() + "\"";
  }

  private void config(HttpExchange exchange) throws IOException {
    if (!authorized(exchange)) {
      return;
    }
    configRequests.add(exchange.getRequestURI().toString());
    String seen = exchange.getRequestHeaders().getFirst("If-None-Match");
    long waitMillis = 1000L * Math.min(30, waitSeconds(exchange.getRequestURI().getQuery()));
    ObjectNode answer;
    synchronized (this) {
      long deadline = System.currentTimeMillis() + waitMillis;
      while (etag(config).equals(seen) && System.currentTimeMillis() < deadline) {
        try {
          wait(Math.max(1, deadline - System.currentTimeMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      answer = config;
    }
    if (etag(answer).equals(seen)) {
      exchange.sendResponseHeaders(304, -1);
      exchange.close();
      return;
    }
    byte[] body = JSON.writeValueAsBytes(answer);
    exchange.getResponseHeaders().add("ETag", etag(answer));
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private void status(HttpExchange exchange) throws IOException {
    if (!authorized(exchange)) {
      return;
    }
    if (!"PUT".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(405, -1);
      exchange.close();
      return;
    }
    statuses.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  private boolean authorized(HttpExchange exchange) throws IOException {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header != null && header.startsWith("Bearer ") && tokens.contains(header.substring(7))) {
      return true;
    }
    exchange.sendResponseHeaders(401, -1);
    exchange.close();
    return false;
  }

  private static long waitSeconds(String query) {
    if (query == null) {
      return 0;
    }
    for (String part : query.split("&")) {
      if (part.startsWith("wait=")) {
        return Long.parseLong(part.substring(5));
      }
    }
    return 0;
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }
}
