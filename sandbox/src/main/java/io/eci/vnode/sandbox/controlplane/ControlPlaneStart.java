package io.eci.vnode.sandbox.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a control plane's components in order, each once the one it needs answers: etcd, the API
 * server, then the scheduler and the controller-manager as configured. A start that fails stops
 * what it started.
 */
final class ControlPlaneStart {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneStart.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ControlPlaneSettings settings;
  private final ControlPlaneBinaries binaries;
  private final WorkDir workDir;
  private final List<Daemon> daemons = new ArrayList<>();
  private final Pki pki = Pki.newAuthority("eci-vnode-control-plane");
  private final Credentials.Token admin =
      new Credentials.Token("admin", HexFormat.of().formatHex(randomBytes(24)));
  private final ComponentHealth health;
  private ControlPlane made;

  ControlPlaneStart(ControlPlaneSettings settings) {
    this.settings = settings;
    this.binaries =
        settings.binaries() != null ? settings.binaries() : ControlPlaneBinaries.require();
    if (!binaries.missing().isEmpty()) {
      throw new MissingControlPlaneException(binaries.missingMessage());
    }
    this.workDir = WorkDir.of(settings.workDir());
    this.health =
        new ComponentHealth(
            HttpClient.newBuilder()
                .sslContext(pki.trustingContext())
                .connectTimeout(Duration.ofSeconds(2))
                .build(),
            settings.startTimeout());
  }

  ControlPlane start() {
    long started = System.nanoTime();
    try {
      // emptied first: what a killed run left running is stopped, its data and logs go
      workDir.clearForStart();
      int etcdPort = freePort();
      startEtcd(etcdPort, freePort());
      int apiPort = freePort();
      startApiServer(apiPort, etcdPort);
      ControlPlane plane = new ControlPlane(binaries, workDir, pki, apiPort, admin, daemons);
      made = plane;
      if (settings.scheduler()) {
        startScheduler(plane, freePort());
      }
      if (settings.controllerManager()) {
        startControllerManager(plane, freePort());
        awaitDefaultServiceAccount(plane);
      }
      LOG.info(
          "control plane {} ready at {} after {} ms (logs: {})",
          binaries.version(),
          plane.url(),
          (System.nanoTime() - started) / 1_000_000,
          plane.logs());
      return plane;
    } catch (RuntimeException | Error e) {
      if (made != null) {
        made.close(); // its client, its daemons, its temporary directory
      } else {
        for (int i = daemons.size() - 1; i >= 0; i--) {
          daemons.get(i).stop();
        }
        workDir.deleteIfTemporary();
      }
      throw e;
    }
  }

  /**
   * A namespace is usable once its default ServiceAccount (and, when pods mount one, its token).
   */
  private void awaitDefaultServiceAccount(ControlPlane plane) {
    ServiceAccountTokens tokens = new ServiceAccountTokens(plane.adminClient());
    health.await(
        "ServiceAccount default/default"
            + (settings.serviceAccountTokens() ? " and its token" : ""),
        () ->
            settings.serviceAccountTokens()
                ? tokens.of("default", "default").isPresent()
                : plane
                        .adminClient()
                        .serviceAccounts()
                        .inNamespace("default")
                        .withName("default")
                        .get()
                    != null,
        null);
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
                "--data-dir=" + workDir.etcd(),
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=e2e=" + peer,
                "--log-level=warn"));
    health.awaitAnswer("etcd on :" + port, URI.create(client + "/health"), null, etcd);
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
            .writeTo(workDir.pki(), "apiserver");
    Path ca = workDir.writePki("ca.crt", pki.caPem());
    Pki.KeyPairPem serviceAccountKeys = Pki.keyPair();
    Path saPublic = workDir.writePki("sa.pub", serviceAccountKeys.publicPem());
    Path saPrivate = workDir.writePki("sa.key", serviceAccountKeys.privatePem());
    Path tokens =
        workDir.writePki("tokens.csv", admin.token() + ",admin,admin-uid,system:masters\n");
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
            "--service-cluster-ip-range=" + ControlPlane.SERVICE_CLUSTER_IP_RANGE,
            "--allow-privileged=true",
            "--default-not-ready-toleration-seconds=" + settings.evictionToleration().toSeconds(),
            "--default-unreachable-toleration-seconds=" + settings.evictionToleration().toSeconds(),
            "--cert-dir=" + workDir.root().resolve("apiserver-certs")));
    if (!settings.mountsTokens()) {
      command.add("--disable-admission-plugins=ServiceAccount");
    }
    if (settings.auditLog()) {
      Path policy =
          workDir.writePki(
              "audit-policy.yaml",
              "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\n"
                  + "rules:\n- level: Metadata\n");
      command.add("--audit-policy-file=" + policy);
      command.add("--audit-log-path=" + workDir.logs().resolve("audit.log"));
    }
    Daemon apiServer = launch("kube-apiserver", command);
    health.awaitAnswer(
        "kube-apiserver on :" + port + " /readyz",
        URI.create("https://127.0.0.1:" + port + "/readyz"),
        admin.token(),
        apiServer);
  }

  private void startScheduler(ControlPlane plane, int port) {
    startServingComponent(plane, "kube-scheduler", "scheduler", port, List.of());
  }

  private void startControllerManager(ControlPlane plane, int port) {
    startServingComponent(
        plane,
        "kube-controller-manager",
        "controller-manager",
        port,
        List.of(
            "--service-account-private-key-file=" + workDir.pki().resolve("sa.key"),
            "--root-ca-file=" + workDir.pki().resolve("ca.crt"),
            // every controller under its own ServiceAccount, with the bootstrap RBAC of a
            // real cluster (kubeadm does the same)
            "--use-service-account-credentials=true",
            "--service-cluster-ip-range=" + ControlPlane.SERVICE_CLUSTER_IP_RANGE,
            "--node-monitor-period=" + seconds(settings.nodeMonitorPeriod()),
            "--node-monitor-grace-period=" + seconds(settings.nodeMonitorGracePeriod())));
  }

  /**
   * Starts the scheduler or the controller-manager as {@code system:<binary>}: both authenticate
   * and authorise through their kubeconfig, serve /healthz over TLS on a loopback port and run
   * without leader election (there is one of each).
   */
  private void startServingComponent(
      ControlPlane plane, String binary, String shortName, int port, List<String> extraFlags) {
    Path kubeconfig =
        plane.writeKubeconfig(
            workDir.pki().resolve(shortName + ".kubeconfig"), plane.user("system:" + binary));
    List<Path> serving = pki.server("127.0.0.1", "localhost").writeTo(workDir.pki(), shortName);
    List<String> command =
        new ArrayList<>(
            List.of(
                binaries.path(binary).toString(),
                "--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig,
                "--authorization-kubeconfig=" + kubeconfig,
                "--leader-elect=false",
                "--port=0",
                "--bind-address=127.0.0.1",
                "--secure-port=" + port,
                "--tls-cert-file=" + serving.get(0),
                "--tls-private-key-file=" + serving.get(1)));
    command.addAll(extraFlags);
    Daemon daemon = launch(binary, command);
    health.awaitAnswer(
        binary + " on :" + port + " /healthz",
        URI.create("https://127.0.0.1:" + port + "/healthz"),
        null,
        daemon);
  }

  private Daemon launch(String name, List<String> command) {
    LOG.info("starting {} ({})", name, binaries.path(name));
    Daemon daemon = Daemon.start(name, command, workDir.root());
    daemons.add(daemon);
    return daemon;
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
}
