package io.eci.vnode.sandbox.eci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eci.vnode.sandbox.eci.Accounts.Principal;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: RPC calls on {@code /} (GET or POST, parameters in the query and an optional form
 * body), the admin API under {@code /_sandbox/}. Every RPC answer is JSON with a RequestId; errors
 * carry the gateway's Code and Message.
 */
final class EciServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EciServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ECI_VERSION = "2018-08-08";
  private static final String VPC_VERSION = "2016-04-28";
  private static final String ECS_VERSION = "2014-05-26";

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // meets the
    // client's delayed ACK and every answer waits ~40 ms. Read once, when the first server is
    // created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final RequestAuthenticator authenticator;
  private final ParameterRules rules;
  private final Faults faults;
  private final Counters counters;
  private final EciActions eci;
  private final VpcActions vpc;
  private final EcsActions ecs;
  private final RamStsActions ramSts;
  private final AdminApi admin;
  private HttpServer server;
  private ExecutorService executor;

  EciServer(
      RequestAuthenticator authenticator,
      ParameterRules rules,
      Faults faults,
      Counters counters,
      EciActions eci,
      VpcActions vpc,
      EcsActions ecs,
      RamStsActions ramSts,
      AdminApi admin) {
    this.authenticator = authenticator;
    this.rules = rules;
    this.faults = faults;
    this.counters = counters;
    this.eci = eci;
    this.vpc = vpc;
    this.ecs = ecs;
    this.ramSts = ramSts;
    this.admin = admin;
  }

  /** Listens on loopback; port 0 picks a free one. Returns the port. */
  int start(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    // Stalls hold threads, so the pool grows on demand instead of queueing calls behind stalled
    // ones.
    executor =
        new ThreadPoolExecutor(
            8, 512, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), daemonThreads());
    server.setExecutor(executor);
    server.createContext("/", this::rpc);
    server.createContext("/_sandbox/", admin::handle);
    server.start();
    return server.getAddress().getPort();
  }

  private void rpc(HttpExchange exchange) throws IOException {
    String requestId = UUID.randomUUID().toString().toUpperCase();
    try (exchange) {
      int status = 200;
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("RequestId", requestId);
      try {
        RpcRequest request = read(exchange);
        counters.called(request.params().getOrDefault("Action", "(none)"), request.params());
        body.putAll(answer(request));
      } catch (RpcError e) {
        status = e.status();
        counters.failed(e.code());
        body.putAll(error(e));
      } catch (RuntimeException e) {
        LOG.warn("the sandbox failed on a call", e);
        RpcError internal = RpcError.internalError();
        status = internal.status();
        counters.failed(internal.code());
        body.putAll(error(internal));
      }
      send(exchange, status, body);
    }
  }

  private Map<String, Object> answer(RpcRequest request) {
    Principal caller = authenticator.authenticate(request, Instant.now());
    ParameterRules.Action action = rules.check(request);
    faults.beforeCall(action.name(), caller.accessKeyId());
    // Each action's version (checked above) names its product: ECI, VPC, ECS, or else RAM and STS.
    return switch (action.version()) {
      case ECI_VERSION -> eci.handle(action.name(), request);
      case VPC_VERSION -> vpc.handle(action.name(), request);
      case ECS_VERSION -> ecs.handle(action.name(), request);
      default -> ramSts.handle(action.name(), request, caller);
    };
  }

  private static RpcRequest read(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String form = "";
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (method.equals("POST")
        && type != null
        && type.startsWith("application/x-www-form-urlencoded")) {
      form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }
    return RpcRequest.parse(method, exchange.getRequestURI().getRawQuery(), form);
  }

  private static Map<String, Object> error(RpcError e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("HostId", "eci-sandbox");
    body.put("Code", e.code());
    body.put("Message", e.getMessage());
    body.put("Recommend", "See docs/sandbox.md of the ECI virtual nodes project.");
    return body;
  }

  static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    faults.release();
    if (server != null) {
      server.stop(0);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private static ThreadFactory daemonThreads() {
    var counter = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "eci-sandbox-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
