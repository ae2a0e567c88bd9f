package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Many simulated clusters behind one stand-in server, <strong>for tests and benchmarks
 * only</strong>: each cluster is served under its own path prefix, {@code
 * http://127.0.0.1:<port>/clusters/<name>}, which is its master URL (the way a proxy such as
 * Rancher's exposes clusters), with its own object store and watches. One server, so one Vert.x and
 * its few threads, however many clusters: a test can stand up hundreds of clusters without the
 * stand-ins' own threads and heap dwarfing what it measures. Each cluster behaves like a {@link
 * KubeSandbox}.
 *
 * <pre>{@code
 * try (SharedKubeSandbox kubes = SharedKubeSandbox.start()) {
 *   SharedKubeSandbox.Cluster a = kubes.add("a");
 *   a.client().pods().inNamespace("default").resource(pod).create();
 * }
 * }</pre>
 */
public final class SharedKubeSandbox implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";
  private static final String PREFIX = "/clusters/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();
  private final Set<Thread> serverThreads = ConcurrentHashMap.newKeySet();
  private final AtomicReference<String> address = new AtomicReference<>(LOOPBACK);
  private final ApiServer server;

  private SharedKubeSandbox() {
    this.server = ApiServer.start(LOOPBACK, 0, this::route, true);
    address.set(LOOPBACK + ":" + server.port());
  }

  /** Starts the server, without clusters, on a free loopback port. */
  public static SharedKubeSandbox start() {
    return new SharedKubeSandbox();
  }

  /** The port it listens on. */
  public int port() {
    return server.port();
  }

  /**
   * Adds a fresh cluster (the namespaces of {@link KubeSandbox#INITIAL_NAMESPACES}) served at
   * {@code /clusters/<name>}.
   *
   * @param name lower-case letters, digits and dashes
   */
  public Cluster add(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a cluster name: " + name);
    }
    ResourceTypes types = ResourceTypes.builtIn();
    WatchHub watches = new WatchHub(10_000);
    Registry registry = new Registry(new ObjectStore(types, watches), Clock.systemUTC());
    for (String namespace : KubeSandbox.INITIAL_NAMESPACES) {
      ObjectNode ns = Json.object();
      Json.metadata(ns).put("name", namespace);
      registry.create(ResourceTypes.NAMESPACES, null, ns, false);
    }
    ApiHandler handler =
        new ApiHandler(types, new Discovery(types, address::get), registry, watches);
    Cluster cluster =
        new Cluster(name, "http://" + LOOPBACK + ":" + port() + PREFIX + name, handler, watches);
    if (clusters.putIfAbsent(name, cluster) != null) {
      throw new IllegalArgumentException("cluster " + name + " exists already");
    }
    return cluster;
  }

  /** How many clusters it serves. */
  public int size() {
    return clusters.size();
  }

  /** Removes every cluster and stops the server. */
  @Override
  public void close() {
    clusters.values().forEach(Cluster::close);
    server.close();
  }

  /**
   * The threads that have served its requests so far (its Vert.x event loops): what a measurement
   * of the threads of a process that hosts it should leave out.
   */
  public Set<Thread> serverThreads() {
    return Set.copyOf(serverThreads);
  }

  private ApiServer.Route route(String path) {
    serverThreads.add(Thread.currentThread());
    if (!path.startsWith(PREFIX)) {
      return null;
    }
    int end = path.indexOf('/', PREFIX.length());
    String name = end < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), end);
    Cluster cluster = clusters.get(name);
    if (cluster == null) {
      return null;
    }
    return new ApiServer.Route(cluster.handler, end < 0 ? "/" : path.substring(end));
  }

  /** One cluster of the server. */
  public final class Cluster implements AutoCloseable {
    private final String name;
    private final String url;
    private final ApiHandler handler;
    private final WatchHub watches;
    private KubernetesClient client;

    private Cluster(String name, String url, ApiHandler handler, WatchHub watches) {
      this.name = name;
      this.url = url;
      this.handler = handler;
      this.watches = watches;
    }

    /** Its name, the last segment of its URL. */
    public String name() {
      return name;
    }

    /** Its master URL, {@code http://127.0.0.1:<port>/clusters/<name>}. */
    public String url() {
      return url;
    }

    /** A fabric8 configuration for it that ignores the machine's kubeconfig and environment. */
    public Config config() {
      return KubeSandbox.clientConfig(url);
    }

    /** A shared fabric8 client for it, closed by {@link #close()}; do not close it yourself. */
    public synchronized KubernetesClient client() {
      if (client == null) {
        client = new KubernetesClientBuilder().withConfig(config()).build();
      }
      return client;
    }

    /** Ends its watches and stops serving it (its URL answers 404); the server stays up. */
    @Override
    public void close() {
      synchronized (this) {
        if (client != null) {
          client.close();
          client = null;
        }
      }
      clusters.remove(name, this);
      watches.closeAll();
    }
  }
}
