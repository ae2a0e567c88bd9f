package io.eci.vnode.sandbox.controlplane;

import io.eci.vnode.sandbox.Cluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

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
public final class ControlPlane implements Cluster {

  private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The range ClusterIPs come from, Kubernetes' (and kubeadm's) default; the API server's own
   * Service is its first address.
   */
  public static final String SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/12";

  private final ControlPlaneBinaries binaries;
  private final Path workDir;
  private final Pki pki;
  private final int apiPort;
  private final Credentials.Token admin;
  private final List<Daemon> daemons;
  private final boolean deleteWorkDir;
  private volatile KubernetesClient adminClient;
  private HttpClient httpClient;
  private final List<HeartbeatNode> heartbeats = new java.util.concurrent.CopyOnWriteArrayList<>();

  private ControlPlane(
      ControlPlaneBinaries binaries,
      Path workDir,
      Pki pki,
      int apiPort,
      Credentials.Token admin,
      List<Daemon> daemons,
      boolean deleteWorkDir) {
    this.binaries = binaries;
    this.workDir = workDir;
    this.pki = pki;
    this.apiPort = apiPort;
    this.admin = admin;
    this.daemons = daemons;
    this.deleteWorkDir = deleteWorkDir;
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
      return new Starter(this).start();
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
  @Override
  public String url() {
    return "https://127.0.0.1:" + apiPort;
  }

  @Override
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

  @Override
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
    return awaitToken(
        namespace + "/" + name,
        "system:serviceaccount:" + namespace + ":" + name,
        () -> tokenOf(namespace, name));
  }

  /**
   * The token the controller-manager fills into a Secret of type {@code
   * kubernetes.io/service-account-token} (at most 30 s), as a person reads it with {@code kubectl
   * get secret}.
   */
  public Credentials.Token tokenInSecret(String namespace, String secret) {
    return awaitToken(
        namespace + "/" + secret,
        "the ServiceAccount of Secret " + namespace + "/" + secret,
        () -> token(adminClient().secrets().inNamespace(namespace).withName(secret).get()));
  }

  private Credentials.Token awaitToken(
      String what, String user, java.util.function.Supplier<Optional<String>> token) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      Optional<String> found = token.get();
      if (found.isPresent()) {
        return new Credentials.Token(user, found.get());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("no ServiceAccount token for " + what + " after 30 s");
      }
      pause(Duration.ofMillis(200));
    }
  }

  private Optional<String> tokenOf(String namespace, String name) {
    ServiceAccount account =
        adminClient().serviceAccounts().inNamespace(namespace).withName(name).get();
    if (account == null || account.getSecrets() == null) {
      return Optional.empty();
    }
    return account.getSecrets().stream()
        .map(r -> adminClient().secrets().inNamespace(namespace).withName(r.getName()).get())
        .map(ControlPlane::token)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<String> token(Secret secret) {
    if (secret == null
        || !"kubernetes.io/service-account-token".equals(secret.getType())
        || secret.getData() == null
        || !secret.getData().containsKey("token")) {
      return Optional.empty();
    }
    return Optional.of(
        new String(
            Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8));
  }

  /** A fabric8 configuration for {@code credentials}; ignores the machine's own kubeconfig. */
  public Config config(Credentials credentials) {
    return credentials
        .applyTo(
            new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withCaCertData(base64(caPem()))
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
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: e2e
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
        %scontexts:
        - name: e2e
          context:
            cluster: e2e
            user: %s
            namespace: default
        current-context: e2e
        """
        .formatted(
            url(),
            base64(caPem()),
            quoted(credentials.user()),
            credentials.kubeconfigUser(),
            quoted(credentials.user()));
  }

  /** Writes {@link #kubeconfig(Credentials)} to {@code file}; returns it. */
  public Path writeKubeconfig(Path file, Credentials credentials) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      return Files.writeString(file, kubeconfig(credentials));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public KubernetesClient client() {
    return adminClient();
  }

  @Override
  public KubernetesClient newClient() {
    return client(admin);
  }

  /** Writes an administrator's kubeconfig. */
  @Override
  public Path writeKubeconfig(Path file) {
    return writeKubeconfig(file, admin);
  }

  @Override
  public String describe() {
    return "kube-apiserver " + version();
  }

  /** Where the components' logs are. */
  public Path logs() {
    return workDir.resolve("logs");
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
    if (deleteWorkDir) {
      deleteRecursively(workDir);
    }
  }

  /** Starts the components in order, each after the one it needs answers. */
  private static final class Starter {
    private final Builder options;
    private final ControlPlaneBinaries binaries;
    private final Path workDir;
    private final Path pkiDir;
    private final Instant deadline;
    private final List<Daemon> daemons = new ArrayList<>();
    private final Pki pki = Pki.newAuthority("eci-vnode-control-plane");
    private final Credentials.Token admin =
        new Credentials.Token("admin", HexFormat.of().formatHex(randomBytes(24)));
    private final HttpClient http;
    private final boolean deleteWorkDir;
    private ControlPlane made;

    Starter(Builder options) {
      this.options = options;
      this.binaries = options.binaries != null ? options.binaries : ControlPlaneBinaries.require();
      if (!binaries.missing().isEmpty()) {
        throw new MissingControlPlaneException(binaries.missingMessage());
      }
      this.deleteWorkDir = options.workDir == null;
      try {
        this.workDir =
            (options.workDir != null
                    ? options.workDir
                    : Files.createTempDirectory("eci-vnode-control-plane"))
                .toAbsolutePath()
                .normalize();
        Files.createDirectories(workDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.pkiDir = workDir.resolve("pki");
      this.deadline = Instant.now().plus(options.startTimeout);
      this.http =
          HttpClient.newBuilder()
              .sslContext(pki.trustingContext())
              .connectTimeout(Duration.ofSeconds(2))
              .build();
    }

    ControlPlane start() {
      long started = System.nanoTime();
      try {
        // emptied first: what a killed run left running is stopped, its data and logs go
        Daemon.stopLeftovers(workDir);
        deleteRecursively(workDir.resolve("etcd"));
        deleteRecursively(workDir.resolve("logs"));
        deleteRecursively(pkiDir);
        int etcdPort = freePort();
        startEtcd(etcdPort, freePort());
        int apiPort = freePort();
        startApiServer(apiPort, etcdPort);
        ControlPlane plane =
            new ControlPlane(binaries, workDir, pki, apiPort, admin, daemons, deleteWorkDir);
        made = plane;
        if (options.scheduler) {
          startScheduler(plane, freePort());
        }
        if (options.controllerManager) {
          startControllerManager(plane, freePort());
          // a namespace is usable once its default ServiceAccount (and, when pods mount one, its
          // token) is there
          await(
              "ServiceAccount default/default"
                  + (options.serviceAccountTokens ? " and its token" : ""),
              () ->
                  options.serviceAccountTokens
                      ? plane.tokenOf("default", "default").isPresent()
                      : plane
                              .adminClient()
                              .serviceAccounts()
                              .inNamespace("default")
                              .withName("default")
                              .get()
                          != null,
              null);
        }
        LOG.info(
            () ->
                "control plane "
                    + binaries.version()
                    + " ready at "
                    + plane.url()
                    + " after "
                    + (System.nanoTime() - started) / 1_000_000
                    + " ms (logs: "
                    + plane.logs()
                    + ")");
        return plane;
      } catch (RuntimeException | Error e) {
        if (made != null) {
          made.close(); // its client, its daemons, its temporary directory
        } else {
          for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).stop();
          }
          if (deleteWorkDir) {
            deleteRecursively(workDir);
          }
        }
        throw e;
      }
    }

    private void startEtcd(int port, int peerPort) {
      String client = "http://127.0.0.1:" + port;
      String peer = "http://127.0.0.1:" + peerPort;
      Daemon etcd =
          launch(
              "etcd",
              List.of(
                  binaries.path("etcd").toString(),
                  "--name=e2e",
                  "--data-dir=" + workDir.resolve("etcd"),
                  "--listen-client-urls=" + client,
                  "--advertise-client-urls=" + client,
                  "--listen-peer-urls=" + peer,
                  "--initial-advertise-peer-urls=" + peer,
                  "--initial-cluster=e2e=" + peer,
                  "--log-level=warn"));
      await("etcd on :" + port, () -> answers(URI.create(client + "/health"), null), etcd);
    }

    private void startApiServer(int port, int etcdPort) {
      List<Path> serving =
          pki.server(
                  "127.0.0.1",
                  "localhost",
                  "10.96.0.1",
                  "kubernetes",
                  "kubernetes.default",
                  "kubernetes.default.svc",
                  "kubernetes.default.svc.cluster.local")
              .writeTo(pkiDir, "apiserver");
      Path ca = write("ca.crt", pki.caPem());
      Pki.KeyPairPem serviceAccountKeys = Pki.keyPair();
      Path saPublic = write("sa.pub", serviceAccountKeys.publicPem());
      Path saPrivate = write("sa.key", serviceAccountKeys.privatePem());
      Path tokens = write("tokens.csv", admin.token() + ",admin,admin-uid,system:masters\n");
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              binaries.path("kube-apiserver").toString(),
              "--etcd-servers=http://127.0.0.1:" + etcdPort,
              "--bind-address=127.0.0.1",
              "--advertise-address=127.0.0.1",
              "--secure-port=" + port,
              "--insecure-port=0",
              // A loopback advertise address is refused for the kubernetes Endpoints every few
              // seconds; nothing here reaches the API server through its Service.
              "--endpoint-reconciler-type=none",
              "--tls-cert-file=" + serving.get(0),
              "--tls-private-key-file=" + serving.get(1),
              "--client-ca-file=" + ca,
              "--token-auth-file=" + tokens,
              "--authorization-mode=Node,RBAC",
              "--service-account-issuer=https://kubernetes.default.svc",
              "--service-account-key-file=" + saPublic,
              "--service-account-signing-key-file=" + saPrivate,
              "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
              "--allow-privileged=true",
              "--default-not-ready-toleration-seconds=" + options.evictionToleration.toSeconds(),
              "--default-unreachable-toleration-seconds=" + options.evictionToleration.toSeconds(),
              "--cert-dir=" + workDir.resolve("apiserver-certs")));
      if (!options.controllerManager || !options.serviceAccountTokens) {
        command.add("--disable-admission-plugins=ServiceAccount");
      }
      if (options.auditLog) {
        Path policy =
            write(
                "audit-policy.yaml",
                "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\n"
                    + "rules:\n- level: Metadata\n");
        command.add("--audit-policy-file=" + policy);
        command.add("--audit-log-path=" + workDir.resolve("logs").resolve("audit.log"));
      }
      Daemon apiServer = launch("kube-apiserver", command);
      await(
          "kube-apiserver on :" + port + " /readyz",
          () -> answers(URI.create("https://127.0.0.1:" + port + "/readyz"), admin.token()),
          apiServer);
    }

    private void startScheduler(ControlPlane plane, int port) {
      Path kubeconfig =
          plane.writeKubeconfig(
              pkiDir.resolve("scheduler.kubeconfig"), plane.user("system:kube-scheduler"));
      List<Path> serving = pki.server("127.0.0.1", "localhost").writeTo(pkiDir, "scheduler");
      Daemon scheduler =
          launch(
              "kube-scheduler",
              List.of(
                  binaries.path("kube-scheduler").toString(),
                  "--kubeconfig=" + kubeconfig,
                  "--authentication-kubeconfig=" + kubeconfig,
                  "--authorization-kubeconfig=" + kubeconfig,
                  "--leader-elect=false",
                  "--port=0",
                  "--bind-address=127.0.0.1",
                  "--secure-port=" + port,
                  "--tls-cert-file=" + serving.get(0),
                  "--tls-private-key-file=" + serving.get(1)));
      await(
          "kube-scheduler on :" + port + " /healthz",
          () -> answers(URI.create("https://127.0.0.1:" + port + "/healthz"), null),
          scheduler);
    }

    private void startControllerManager(ControlPlane plane, int port) {
      Path kubeconfig =
          plane.writeKubeconfig(
              pkiDir.resolve("controller-manager.kubeconfig"),
              plane.user("system:kube-controller-manager"));
      List<Path> serving =
          pki.server("127.0.0.1", "localhost").writeTo(pkiDir, "controller-manager");
      Daemon controllerManager =
          launch(
              "kube-controller-manager",
              List.of(
                  binaries.path("kube-controller-manager").toString(),
                  "--kubeconfig=" + kubeconfig,
                  "--authentication-kubeconfig=" + kubeconfig,
                  "--authorization-kubeconfig=" + kubeconfig,
                  "--leader-elect=false",
                  "--port=0",
                  "--bind-address=127.0.0.1",
                  "--secure-port=" + port,
                  "--tls-cert-file=" + serving.get(0),
                  "--tls-private-key-file=" + serving.get(1),
                  "--service-account-private-key-file=" + pkiDir.resolve("sa.key"),
                  "--root-ca-file=" + pkiDir.resolve("ca.crt"),
                  // every controller under its own ServiceAccount, with the bootstrap RBAC of a
                  // real cluster (kubeadm does the same)
                  "--use-service-account-credentials=true",
                  "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
                  "--node-monitor-period=" + seconds(options.nodeMonitorPeriod),
                  "--node-monitor-grace-period=" + seconds(options.nodeMonitorGracePeriod)));
      await(
          "kube-controller-manager on :" + port + " /healthz",
          () -> answers(URI.create("https://127.0.0.1:" + port + "/healthz"), null),
          controllerManager);
    }

    private Daemon launch(String name, List<String> command) {
      LOG.info(() -> "starting " + name + " (" + binaries.path(name) + ")");
      Daemon daemon = Daemon.start(name, command, workDir);
      daemons.add(daemon);
      return daemon;
    }

    private boolean answers(URI uri, String token) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode()
            == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the control plane", e);
      }
    }

    /** Waits for {@code condition} until the start's deadline; a daemon that exits fails it. */
    private void await(String what, BooleanSupplier condition, Daemon daemon) {
      while (!condition.getAsBoolean()) {
        if (daemon != null && !daemon.alive()) {
          throw new IllegalStateException(
              daemon.name()
                  + " exited before "
                  + what
                  + " answered; the end of "
                  + daemon.log()
                  + ":\n"
                  + daemon.logTail(20));
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              what
                  + " did not answer within "
                  + options.startTimeout.toSeconds()
                  + " s"
                  + (daemon == null ? "" : "; the end of " + daemon.log() + ":\n")
                  + (daemon == null ? "" : daemon.logTail(20)));
        }
        pause(Duration.ofMillis(100));
      }
      LOG.fine(() -> what + ": ok");
    }

    private Path write(String name, String content) {
      try {
        Files.createDirectories(pkiDir);
        return Files.writeString(pkiDir.resolve(name), content);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths
          .sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
