package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Kubernetes API server stand-in, <strong>for tests and demos only</strong>: one simulated
 * cluster, in memory, on plain HTTP on a loopback port, without authentication, authorization,
 * admission webhooks, a scheduler, a kubelet or controllers. It is fabric8's {@code
 * kubernetes-server-mock} CRUD store extended with what the product and kubectl need from a real
 * API server: discovery, Table output, chunked HTTP and WebSocket watches with field selectors and
 * resume, {@code pods/binding}, strategic-merge and apply patches, optimistic concurrency, the
 * status subresource, pod defaults and graceful pod deletion. See {@code docs/sandbox-kube.md} for
 * every extension and the known limits.
 *
 * <p>Many instances may run in one JVM, one per simulated cluster. Close each one.
 *
 * <pre>{@code
 * try (KubeSandbox kube = KubeSandbox.start()) {
 *   kube.client().pods().inNamespace("default").resource(pod).create();
 *   kube.writeKubeconfig(Path.of("kubeconfig")); // KUBECONFIG=kubeconfig kubectl get po
 * }
 * }</pre>
 */
public final class KubeSandbox implements AutoCloseable {

  /** The namespaces a fresh cluster has. */
  public static final List<String> INITIAL_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private static final String LOOPBACK = "127.0.0.1";
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final ApiServer server;
  private final WatchHub watches;
  private final AccessReviews accessReviews;
  private final String url;
  private final String token;
  private KubernetesClient client;

  private KubeSandbox(
      ApiServer server, WatchHub watches, AccessReviews accessReviews, String token) {
    this.server = server;
    this.watches = watches;
    this.accessReviews = accessReviews;
    this.url = "http://" + LOOPBACK + ":" + server.port();
    this.token = token;
  }

  /** Starts a stand-in on a free loopback port. */
  public static KubeSandbox start() {
    return start(0);
  }

  /** Starts a stand-in on {@code 127.0.0.1:port} (0 picks a free port). */
  public static KubeSandbox start(int port) {
    return start(port, true);
  }

  /**
   * Starts a stand-in that refuses WebSocket upgrades (503), like a proxy without WebSocket
   * support, so clients must use chunked HTTP watches; tests use it to exercise fabric8's HTTP
   * watch fallback.
   */
  static KubeSandbox start(int port, boolean webSocketWatches) {
    return start(port, webSocketWatches, null);
  }

  /**
   * Starts a stand-in on a free loopback port that authenticates one caller: a request without
   * {@code Authorization: Bearer <token>} is answered 401, as a real API server answers a token it
   * does not know. Its own {@link #client()}, {@link #config()} and {@link #kubeconfig()} carry the
   * token. It still authorizes everything (but see {@link #refuseInAccessReviews}).
   */
  public static KubeSandbox startRequiringToken(String token) {
    return start(0, true, token);
  }

  private static KubeSandbox start(int port, boolean webSocketWatches, String token) {
    ResourceTypes types = ResourceTypes.builtIn();
    WatchHub watches = new WatchHub(10_000);
    Registry registry = new Registry(new ObjectStore(types, watches), Clock.systemUTC());
    for (String namespace : INITIAL_NAMESPACES) {
      ObjectNode ns = Json.object();
      Json.metadata(ns).put("name", namespace);
      registry.create(ResourceTypes.NAMESPACES, null, ns, false);
    }
    // discovery names the listen address, known once the server is bound
    AtomicReference<String> address = new AtomicReference<>(LOOPBACK);
    ApiHandler handler =
        new ApiHandler(types, new Discovery(types, address::get), registry, watches);
    ApiServer server = ApiServer.start(LOOPBACK, port, handler, webSocketWatches);
    if (token != null) {
      server.requireToken(token);
    }
    address.set(LOOPBACK + ":" + server.port());
    return new KubeSandbox(server, watches, handler.accessReviews(), token);
  }

  /** The base URL, {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  /** An HTTP/1.1 client for raw requests. */
  public HttpClient httpClient() {
    return HTTP;
  }

  /**
   * The Authorization header a request needs: none, unless started {@link #startRequiringToken
   * requiring a token}.
   */
  public Optional<String> authorization() {
    return Optional.ofNullable(token).map(t -> "Bearer " + t);
  }

  /**
   * From now on every SelfSubjectAccessReview of {@code verb} on {@code resource} ({@code pods},
   * {@code pods/status}, ...) answers "not allowed", as for an account whose RBAC lacks it; the
   * requests themselves are still served (the stand-in enforces no RBAC). For tests of the checks
   * that ask what an account may do.
   */
  public void refuseInAccessReviews(String verb, String resource) {
    accessReviews.refuse(verb, resource);
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  /**
   * A fabric8 configuration for this stand-in that ignores the machine's own kubeconfig and
   * environment.
   */
  public Config config() {
    Config config = clientConfig(url);
    if (token != null) {
      config.setOauthToken(token);
    }
    return config;
  }

  /**
   * The client configuration of a stand-in at {@code url}: namespace {@code default}, no retries (a
   * refused request fails at once), nothing read from the machine's kubeconfig or environment.
   */
  static Config clientConfig(String url) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace("default")
        .withTrustCerts(true)
        .withRequestRetryBackoffLimit(0)
        .build();
  }

  /**
   * A shared fabric8 client for this stand-in, closed by {@link #close()}; do not close it
   * yourself.
   */
  public synchronized KubernetesClient client() {
    if (client == null) {
      client = newClient();
    }
    return client;
  }

  /** What it is, for logs: {@code stand-in}. */
  public String describe() {
    return "stand-in";
  }

  /** A new fabric8 client for this stand-in; the caller closes it. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /**
   * A kubeconfig document (context {@code sandbox}, namespace {@code default}) that kubectl and
   * fabric8 accept.
   */
  public String kubeconfig() {
    return token == null ? Kubeconfig.forServer(url) : Kubeconfig.forServer(url, token);
  }

  /**
   * Writes {@link #kubeconfig()} to {@code file}, creating parent directories; returns the file.
   */
  public Path writeKubeconfig(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return Files.writeString(file, kubeconfig());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends every watch and stops the server. */
  @Override
  public void close() {
    synchronized (this) {
      if (client != null) {
        client.close();
      }
    }
    watches.closeAll();
    server.close();
  }
}
