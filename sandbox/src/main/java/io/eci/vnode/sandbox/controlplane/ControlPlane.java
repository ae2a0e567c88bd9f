package io.eci.vnode.sandbox.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real Kubernetes control plane on loopback, for the end-to-end tests and the local run: etcd,
 * kube-apiserver (TLS, RBAC, token and client-certificate authentication, ServiceAccount keys),
 * kube-scheduler and kube-controller-manager, each a process of the installed binaries ({@link
 * ControlPlaneBinaries}) on free ports, with their logs under {@code <workDir>/logs}. There is no
 * kubelet: the only nodes are those a test, or the product, registers.
 *
 * <pre>{@code
 * try (ControlPlane cluster = ControlPlane.builder().workDir(dir).start()) {
 *   cluster.adminClient().namespaces().list();
 *   cluster.writeKubeconfig(dir.resolve("admin.kubeconfig"), cluster.admin());
 * }
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {

  /**
   * The range ClusterIPs come from, Kubernetes' (and kubeadm's) default; the API server's own
   * Service is its first address.
   */
  public static final String SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/12";

  private final ControlPlaneBinaries binaries;
  private final WorkDir workDir;
  private final Pki pki;
  private final int apiPort;
  private final Credentials.Token admin;
  private final List<Daemon> daemons;
  private final List<HeartbeatNode> heartbeats = new CopyOnWriteArrayList<>();
  private volatile KubernetesClient adminClient;
  private HttpClient httpClient;

  ControlPlane(
      ControlPlaneBinaries binaries,
      WorkDir workDir,
      Pki pki,
      int apiPort,
      Credentials.Token admin,
      List<Daemon> daemons) {
    this.binaries = binaries;
    this.workDir = workDir;
    this.pki = pki;
    this.apiPort = apiPort;
    this.admin = admin;
    this.daemons = daemons;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How a control plane is started; every setting has the Kubernetes default unless named. */
  public static final class Builder {
    private ControlPlaneBinaries binaries;
    private Path workDir;
    private boolean scheduler = true;
    private boolean controllerManager = true;
    private boolean serviceAccountTokens = true;
    private Duration nodeMonitorPeriod = Duration.ofSeconds(5);
    private Duration nodeMonitorGracePeriod = Duration.ofSeconds(40);
    private Duration evictionToleration = Duration.ofSeconds(300);
    private Duration startTimeout = Duration.ofSeconds(120);
    private boolean auditLog;

    private Builder() {}

    /**
     * Whether the API server writes an audit log of every request (who, what, the answer's code) to
     * {@link ControlPlane#auditLog()}, as JSON lines (default no).
     */
    public Builder auditLog(boolean write) {
      this.auditLog = write;
      return this;
    }

    /** The binaries to run; default {@link ControlPlaneBinaries#require()}. */
    public Builder binaries(ControlPlaneBinaries binaries) {
      this.binaries = binaries;
      return this;
    }

    /**
     * Where certificates, etcd's data and the logs go (emptied first, kept after close); default a
     * temporary directory, deleted on close.
     */
    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    /** Whether kube-scheduler runs (default yes). */
    public Builder scheduler(boolean run) {
      this.scheduler = run;
      return this;
    }

    /**
     * Whether kube-controller-manager runs (default yes). Without it no ServiceAccount gets a
     * token, so {@link #serviceAccountTokens} is off too.
     */
    public Builder controllerManager(boolean run) {
      this.controllerManager = run;
      return this;
    }

    /**
     * Whether pods get their ServiceAccount's token (the ServiceAccount admission, default yes):
     * off, a pod needs none and gets no token volume.
     */
    public Builder serviceAccountTokens(boolean mount) {
      this.serviceAccountTokens = mount;
      return this;
    }

    /**
     * How long a node may go without a heartbeat before the node-lifecycle controller marks it
     * {@code Unknown} and taints it unreachable (Kubernetes: 40 s), and how often it looks (5 s).
     */
    public Builder nodeMonitor(Duration period, Duration gracePeriod) {
      this.nodeMonitorPeriod = period;
      this.nodeMonitorGracePeriod = gracePeriod;
      return this;
    }

    /**
     * How long pods tolerate a not-ready or unreachable node before they are evicted: the
     * tolerations the DefaultTolerationSeconds admission adds (Kubernetes: 300 s).
     */
    public Builder evictionToleration(Duration toleration) {
      this.evictionToleration = toleration;
      return this;
    }

    /** How long the whole start may take (default 120 s). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Starts etcd, the API server and, as configured, the scheduler and the controller-manager;
     * returns once all answer their health checks and, with a controller-manager, the {@code
     * default} ServiceAccount of {@code default} is there (with its token, when pods mount one).
     *
     * @throws MissingControlPlaneException when the binaries are not installed
     * @throws IllegalStateException naming the component that did not come up, with its log's end
     */
    public ControlPlane start() {
      return new ControlPlaneStart(
              new ControlPlaneSettings(
                  binaries,
                  workDir,
                  scheduler,
                  controllerManager,
                  serviceAccountTokens,
                  nodeMonitorPeriod,
                  nodeMonitorGracePeriod,
                  evictionToleration,
                  startTimeout,
                  auditLog))
          .start();
    }
  }

  /** The Kubernetes version of the API server, e.g. {@code v1.20.2}. */
  public String version() {
    return binaries.version();
  }

  public ControlPlaneBinaries binaries() {
    return binaries;
  }

  /** The API server's address, {@code https://127.0.0.1:<port>}. */
  public String url() {
    return "https://127.0.0.1:" + apiPort;
  }

  /** An HTTP/1.1 client for raw requests, trusting the API server's certificate. */
  public synchronized HttpClient httpClient() {
    if (httpClient == null) {
      httpClient =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(pki.trustingContext())
              .connectTimeout(Duration.ofSeconds(5))
              .build();
    }
    return httpClient;
  }

  /** The Authorization header of the administrator, for raw requests. */
  public Optional<String> authorization() {
    return Optional.of("Bearer " + admin.token());
  }

  /** The certificate authority every component's certificate comes from (the caBundle). */
  public String caPem() {
    return pki.caPem();
  }

  /** The cluster's authority: issues serving certificates for webhooks and client ones. */
  public Pki pki() {
    return pki;
  }

  /** A cluster administrator (group {@code system:masters}: every permission). */
  public Credentials.Token admin() {
    return admin;
  }

  /**
   * A client certificate for {@code user} in {@code groups}; RBAC decides what it may do (nothing
   * until bound).
   */
  public Credentials.ClientCertificate user(String user, String... groups) {
    return new Credentials.ClientCertificate(user, pki.client(user, groups));
  }

  /**
   * The token of a ServiceAccount, once the controller-manager has made it (at most 30 s).
   *
   * @throws IllegalStateException when no token appears in time
   */
  public Credentials.Token serviceAccountToken(String namespace, String name) {
    return new ServiceAccountTokens(adminClient()).await(namespace, name);
  }

  /**
   * The token the controller-manager fills into a Secret of type {@code
   * kubernetes.io/service-account-token} (at most 30 s), as a person reads it with {@code kubectl
   * get secret}.
   */
  public Credentials.Token tokenInSecret(String namespace, String secret) {
    return new ServiceAccountTokens(adminClient()).awaitInSecret(namespace, secret);
  }

  /** A fabric8 configuration for {@code credentials}; ignores the machine's own kubeconfig. */
  public Config config(Credentials credentials) {
    return credentials
        .applyTo(
            new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withCaCertData(ControlPlaneKubeconfig.base64(caPem()))
                .withNamespace("default")
                .withRequestRetryBackoffLimit(0))
        .build();
  }

  /** A new client for {@code credentials}; the caller closes it. */
  public KubernetesClient client(Credentials credentials) {
    return new KubernetesClientBuilder().withConfig(config(credentials)).build();
  }

  /** A shared administrator's client, closed by {@link #close()}. */
  public KubernetesClient adminClient() {
    if (adminClient == null) {
      synchronized (this) {
        if (adminClient == null) {
          adminClient = client(admin);
        }
      }
    }
    return adminClient;
  }

  /** The shared administrator's client, {@link #adminClient()}. */
  public KubernetesClient client() {
    return adminClient();
  }

  /** A new administrator's client; the caller closes it. */
  public KubernetesClient newClient() {
    return client(admin);
  }

  /**
   * A node kept Ready without a kubelet (see {@link HeartbeatNode}), e.g. a healthy node in another
   * zone, so that a silent virtual node is treated as a real cluster treats one: its pods are
   * evicted. Stopped by {@link #close()} at the latest.
   */
  public HeartbeatNode heartbeatNode(String name, Map<String, String> labels) {
    HeartbeatNode node = HeartbeatNode.start(adminClient(), name, labels);
    heartbeats.add(node);
    return node;
  }

  /** A kubeconfig (context {@code e2e}, namespace {@code default}) with everything embedded. */
  public String kubeconfig(Credentials credentials) {
    return ControlPlaneKubeconfig.document(url(), caPem(), credentials);
  }

  /** Writes {@link #kubeconfig(Credentials)} to {@code file}; returns it. */
  public Path writeKubeconfig(Path file, Credentials credentials) {
    return ControlPlaneKubeconfig.write(file, kubeconfig(credentials));
  }

  /** Writes an administrator's kubeconfig. */
  public Path writeKubeconfig(Path file) {
    return writeKubeconfig(file, admin);
  }

  /** What it is, for logs: {@code kube-apiserver v1.20.2}. */
  public String describe() {
    return "kube-apiserver " + version();
  }

  /** Where the components' logs are. */
  public Path logs() {
    return workDir.logs();
  }

  /** The API server's audit log, one JSON event per line (when started with {@code auditLog}). */
  public Path auditLog() {
    return logs().resolve("audit.log");
  }

  /** Stops every component (SIGTERM, then SIGKILL after 10 s), last started first. */
  @Override
  public void close() {
    heartbeats.forEach(HeartbeatNode::close);
    synchronized (this) {
      if (adminClient != null) {
        adminClient.close();
      }
    }
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).stop();
    }
    workDir.deleteIfTemporary();
  }
}
