package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the stand-in, on Vert.x (the server fabric8's mock web server uses): plain
 * requests, watches as chunked HTTP responses with one JSON {@code WatchEvent} per line (kubectl,
 * client-go and fabric8's HTTP watch), and watches over WebSocket with one event per text frame
 * (fabric8's default).
 */
final class ApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final long FIRST_FRAME_DELAY_MILLIS = 5;

  private final Vertx vertx;
  private final HttpServer server;
  private final Routes routes;
  private final boolean webSocketWatches;
  private volatile String requiredToken;

  /** Which cluster's handler serves a request path, and the path within that cluster. */
  interface Routes {
    /** The route of {@code path}, or null when no cluster serves it (404). */
    Route route(String path);
  }

  /** A cluster's handler and the request path as that cluster sees it. */
  record Route(ApiHandler handler, String path) {}

  private ApiServer(Vertx vertx, HttpServer server, Routes routes, boolean webSocketWatches) {
    this.vertx = vertx;
    this.server = server;
    this.routes = routes;
    this.webSocketWatches = webSocketWatches;
  }

  /**
   * Starts listening on {@code host:port} (port 0: a free port) and returns once it accepts
   * connections.
   *
   * @param webSocketWatches false to refuse WebSocket upgrades with 503, as a proxy without
   *     WebSocket support does; fabric8 then falls back to chunked HTTP watches
   */
  static ApiServer start(String host, int port, ApiHandler handler, boolean webSocketWatches) {
    return start(host, port, path -> new Route(handler, path), webSocketWatches);
  }

  /** Starts a server whose requests go to the handler {@code routes} picks for their path. */
  static ApiServer start(String host, int port, Routes routes, boolean webSocketWatches) {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(2)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    HttpServer server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxWebSocketMessageSize(64 * 1024 * 1024));
    ApiServer api = new ApiServer(vertx, server, routes, webSocketWatches);
    server.requestHandler(api::onRequest).webSocketHandler(api::onWebSocket);
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      vertx.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (ExecutionException | TimeoutException e) {
      vertx.close();
      throw new IllegalStateException("cannot listen on " + host + ":" + port, e.getCause());
    }
    return api;
  }

  int port() {
    return server.actualPort();
  }

  /**
   * From now on a request must carry {@code Authorization: Bearer <token>}; any other is answered
   * 401 Unauthorized, as a real API server answers a credential it does not accept.
   */
  void requireToken(String token) {
    this.requiredToken = token;
  }

  private boolean authenticated(String authorization) {
    String token = requiredToken;
    return token == null || ("Bearer " + token).equals(authorization);
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot stop the server", e);
    }
  }

  private void onRequest(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              if (!authenticated(request.getHeader("Authorization"))) {
                unauthorized(request.response());
                return;
              }
              Route route = routes.route(request.path());
              if (route == null) {
                notFound(request.response());
                return;
              }
              ApiHandler handler = route.handler();
              ApiRequest api =
                  toApiRequest(
                      request.method().name(),
                      route.path(),
                      request.query(),
                      request.headers(),
                      body.getBytes());
              if (handler.isWatch(api)) {
                streamWatch(handler, api, request.response());
              } else {
                ApiResponse answer = handler.handle(api);
                request
                    .response()
                    .setStatusCode(answer.code())
                    .putHeader("Content-Type", answer.contentType())
                    .putHeader("Cache-Control", "no-cache, private")
                    .end(answer.body());
              }
            })
        .onFailure(e -> request.response().setStatusCode(400).end());
  }

  private static void unauthorized(HttpServerResponse response) {
    response
        .setStatusCode(401)
        .putHeader("Content-Type", "application/json")
        .end(Json.write(Status.failure(401, "Unauthorized", "Unauthorized")));
  }

  private static void notFound(HttpServerResponse response) {
    response
        .setStatusCode(404)
        .putHeader("Content-Type", "application/json")
        .end(
            Json.write(
                Status.failure(
                    404, "NotFound", "the server could not find the requested resource")));
  }

  private void streamWatch(ApiHandler handler, ApiRequest api, HttpServerResponse response) {
    try {
      handler.validateWatch(api);
    } catch (ApiException e) {
      response
          .setStatusCode(e.code())
          .putHeader("Content-Type", "application/json")
          .end(Json.write(e.toStatus()));
      return;
    }
    response.setChunked(true).putHeader("Content-Type", "application/json").setStatusCode(200);
    WatchHub.Sink sink =
        new WatchHub.Sink() {
          @Override
          public void send(String type, ObjectNode object) {
            response.write(event(type, object) + "\n");
          }

          @Override
          public void close() {
            if (!response.ended() && !response.closed()) {
              response.end();
            }
          }
        };
    WatchHub.Subscription subscription;
    try {
      response.writeHead();
      subscription = handler.watch(api, sink);
      LOG.debug("HTTP watch {} {}", api.path(), api.query());
    } catch (ApiException e) {
      // the head is out already: report the failure the way a watch does, as an ERROR event
      sink.send("ERROR", e.toStatus());
      sink.close();
      return;
    }
    response.closeHandler(v -> subscription.close());
    scheduleTimeout(api, subscription, sink);
  }

  private void onWebSocket(ServerWebSocket socket) {
    if (!webSocketWatches) {
      socket.reject(503);
      return;
    }
    if (!authenticated(socket.headers().get("Authorization"))) {
      socket.reject(401);
      return;
    }
    Route route = routes.route(socket.path());
    if (route == null) {
      socket.reject(404);
      return;
    }
    ApiHandler handler = route.handler();
    ApiRequest api =
        toApiRequest("GET", route.path(), socket.query(), socket.headers(), new byte[0]);
    if (!handler.isWatch(api)) {
      socket.reject(404);
      return;
    }
    try {
      handler.validateWatch(api);
    } catch (ApiException e) {
      socket.reject(e.code());
      return;
    }
    WatchHub.Sink sink =
        new WatchHub.Sink() {
          @Override
          public void send(String type, ObjectNode object) {
            socket.writeTextMessage(event(type, object));
          }

          @Override
          public void close() {
            if (!socket.isClosed()) {
              socket.close((short) 1000);
            }
          }
        };
    socket.accept();
    // fabric8's Vert.x WebSocket client can lose frames that arrive together with the 101
    // response, so the first events go out a moment after the handshake (see docs/sandbox-kube.md).
    vertx.setTimer(FIRST_FRAME_DELAY_MILLIS, id -> openWebSocketWatch(handler, api, socket, sink));
  }

  private void openWebSocketWatch(
      ApiHandler handler, ApiRequest api, ServerWebSocket socket, WatchHub.Sink sink) {
    if (socket.isClosed()) {
      return;
    }
    try {
      WatchHub.Subscription subscription = handler.watch(api, sink);
      LOG.debug("WebSocket watch {} {}", api.path(), api.query());
      socket.closeHandler(v -> subscription.close());
      if (socket.isClosed()) {
        subscription.close();
      }
      scheduleTimeout(api, subscription, sink);
    } catch (ApiException e) {
      sink.send("ERROR", e.toStatus());
      sink.close();
    }
  }

  /** Honours {@code timeoutSeconds}: the server ends the watch and the client starts a new one. */
  private void scheduleTimeout(
      ApiRequest api, WatchHub.Subscription subscription, WatchHub.Sink sink) {
    String timeout = api.param("timeoutSeconds");
    if (timeout == null) {
      return;
    }
    try {
      long seconds = Long.parseLong(timeout);
      if (seconds > 0) {
        vertx.setTimer(
            TimeUnit.SECONDS.toMillis(seconds),
            id -> {
              subscription.close();
              sink.close();
            });
      }
    } catch (NumberFormatException e) {
      // a malformed timeout means no timeout, as for the real server's watch cache
    }
  }

  private static String event(String type, ObjectNode object) {
    ObjectNode event = Json.object();
    event.put("type", type);
    event.set("object", object);
    return Json.write(event);
  }

  private static ApiRequest toApiRequest(
      String method, String path, String rawQuery, MultiMap headers, byte[] body) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false)
          .parameters()
          .forEach((name, values) -> query.put(name, new ArrayList<>(values)));
    }
    return new ApiRequest(
        method,
        path,
        query,
        headers.get("Accept") == null ? "" : headers.get("Accept"),
        headers.get("Content-Type") == null ? "" : headers.get("Content-Type"),
        body);
  }
}
