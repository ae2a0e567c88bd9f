package io.eci.vnode.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.db.EmbeddedDatabase;
import io.eci.vnode.sandbox.Kubectl;
import io.eci.vnode.sandbox.controlplane.ControlPlane;
import io.eci.vnode.sandbox.controlplane.Credentials;
import io.eci.vnode.sandbox.controlplane.Pki;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product for one test class, as a cluster owner meets it: a real control plane, the
 * control service's jar with a real PostgreSQL, the ECI sandbox (the real SDK on the wire), a
 * tenant, and the cluster registered through the REST API with a ServiceAccount token of exactly
 * the RBAC {@value #ACCESS_MANIFEST} grants and the cluster's CA bundle. The service serves its
 * webhook over https with a certificate of its own authority, whose bundle the webhook
 * configuration carries.
 */
final class Product implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Product.class);

  /** The manifest an owner applies to give the service its access (see docs/real-cluster.md). */
  static final String ACCESS_MANIFEST = "deploy/cluster/eci-virtual-node.yaml";

  static final String REGION = "cn-hangzhou";
  static final String ZONE = "cn-hangzhou-b";
  static final String NODE = "virtual-kubelet-" + ZONE;
  static final String VSWITCH = "vsw-e2eb";
  static final String ACCESS_KEY_ID = "LTAIe2etenantkey";
  static final String ACCESS_KEY_SECRET = "e2e-tenant-secret";
  static final String OPERATOR_TOKEN = "e2e-operator-" + random(12);
  static final Duration DEADLINE = Duration.ofSeconds(90);

  private final Path workDir;
  private final EmbeddedDatabase database;
  private final EciSandbox eci;
  private final EciCalls calls;
  private final ControlPlane cluster;
  private final ServiceProcess service;
  private final Path adminKubeconfig;
  private String tenantToken;
  private String clusterId;

  private Product(Builder options) {
    this.workDir = Path.of("target", "e2e", options.name).toAbsolutePath();
    deleteIfThere(workDir.resolve("service.log"));
    List<AutoCloseable> started = new ArrayList<>();
    try {
      this.cluster =
          options
              .controlPlane
              .apply(ControlPlane.builder())
              .workDir(workDir.resolve("control-plane"))
              .start();
      started.add(cluster);
      LOG.info(
          "{}: Kubernetes server {} at {}",
          options.name,
          cluster.adminClient().getKubernetesVersion().getGitVersion(),
          cluster.url());
      this.adminKubeconfig =
          cluster.writeKubeconfig(workDir.resolve("admin.kubeconfig"), cluster.admin());
      this.database = EmbeddedDatabase.start();
      started.add(database);
      this.eci =
          options
              .eci
              .apply(
                  EciSandbox.builder()
                      .region(REGION)
                      .accessKey(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
                      .vSwitch(VSWITCH, ZONE, "10.1.0.0/16"))
              .start();
      started.add(eci);
      this.calls = new EciCalls(eci);
      this.service =
          new ServiceProcess(
              serviceJar(),
              serviceSettings(options.serviceSettings),
              workDir.resolve("service.log"),
              freePort());
      started.add(service);
    } catch (RuntimeException | Error e) {
      closeAll(started);
      throw e;
    }
  }

  static Builder builder(String name) {
    return new Builder(name);
  }

  /** How the product of a test class is set up. */
  static final class Builder {
    private final String name;
    private UnaryOperator<ControlPlane.Builder> controlPlane = UnaryOperator.identity();
    private UnaryOperator<EciSandbox.Builder> eci = UnaryOperator.identity();
    private Map<String, String> serviceSettings = Map.of();

    private Builder(String name) {
      this.name = name;
    }

    /** Settings of the control plane beyond the defaults (node monitoring, eviction). */
    Builder controlPlane(UnaryOperator<ControlPlane.Builder> settings) {
      this.controlPlane = settings;
      return this;
    }

    /** Settings of the ECI sandbox beyond the defaults (timings: 1 s, 2 s, 1 s). */
    Builder eci(UnaryOperator<EciSandbox.Builder> settings) {
      this.eci = settings;
      return this;
    }

    /** Settings of the service beyond the defaults. */
    Builder service(Map<String, String> settings) {
      this.serviceSettings = settings;
      return this;
    }

    /**
     * Starts everything, gives the service its access to the cluster and registers the cluster;
     * returns once its virtual node is Ready.
     */
    Product start() {
      Product product = new Product(this);
      try {
        product.service.start();
        product.grantAccess();
        product.register(product.cluster.tokenInSecret("kube-system", "eci-virtual-node-token"));
        product.awaitNodeReady();
        return product;
      } catch (RuntimeException | Error e) {
        LOG.error("{} did not start; the service log:\n{}", name, product.service.logTail());
        product.close();
        throw e;
      }
    }
  }

  /** The service's settings: the test's own over these defaults. */
  private Map<String, String> serviceSettings(Map<String, String> overrides) {
    Pki authority = Pki.newAuthority("eci-vnode-service");
    List<Path> serving = authority.server("127.0.0.1", "localhost").writeTo(workDir, "service");
    Path ca = write(workDir.resolve("service-ca.crt"), authority.caPem());
    int https = freePort();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> s = new LinkedHashMap<>();
    s.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
    s.put("quarkus.datasource.username", EmbeddedDatabase.USER);
    s.put("quarkus.http.ssl-port", Integer.toString(https));
    s.put("quarkus.http.ssl.certificate.files", serving.get(0).toString());
    s.put("quarkus.http.ssl.certificate.key-files", serving.get(1).toString());
    s.put("quarkus.log.console.json.enabled", "false");
    s.put("vnode.secrets.active-key-id", "e2e");
    s.put("vnode.secrets.keys.e2e", Base64.getEncoder().encodeToString(key));
    s.put("vnode.operator.token", OPERATOR_TOKEN);
    s.put("vnode.eci.endpoint", eci.endpoint());
    s.put("vnode.hosting.replica", "e2e-replica");
    s.put("vnode.hosting.period", "2s");
    s.put("vnode.hosting.webhook-base-url", "https://127.0.0.1:" + https);
    s.put("vnode.hosting.webhook-ca-file", ca.toString());
    s.putAll(overrides);
    return s;
  }

  /** Applies the access manifest as the cluster's administrator would, with kubectl. */
  private void grantAccess() {
    Path manifest = projectRoot().resolve(ACCESS_MANIFEST);
    adminKubectl().ok("apply", "-f", manifest.toString());
  }

  private void register(Credentials.Token token) {
    String tenant =
        operator()
            .body(Map.of("name", "e2e-" + random(4).toLowerCase()))
            .post("/api/v1/tenants")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    tenantToken =
        operator()
            .body(Map.of("description", "e2e"))
            .post("/api/v1/tenants/{id}/tokens", tenant)
            .then()
            .statusCode(201)
            .extract()
            .path("token");
    Map<String, Object> body =
        Map.of(
            "name",
            "e2e",
            "region",
            REGION,
            "mode",
            "managed",
            "apiServer",
            Map.of(
                "url",
                cluster.url().toString(),
                "caBundle",
                cluster.caPem(),
                "credentials",
                Map.of("token", token.token())),
            "eci",
            Map.of(
                "vSwitchIds",
                List.of(VSWITCH),
                "securityGroupId",
                "sg-e2e",
                "credentials",
                Map.of("accessKeyId", ACCESS_KEY_ID, "accessKeySecret", ACCESS_KEY_SECRET)));
    clusterId =
        asTenant().body(body).post("/api/v1/clusters").then().statusCode(201).extract().path("id");
  }

  /** Waits until the virtual node is Ready. */
  Node awaitNodeReady() {
    return await()
        .atMost(DEADLINE)
        .until(() -> kube().nodes().withName(NODE).get(), Product::ready);
  }

  static boolean ready(Node node) {
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Waits until the namespace's {@code default} ServiceAccount has its token: until then the
   * ServiceAccount admission refuses pods ("No API token found"), and a person's {@code kubectl
   * run} right after {@code kubectl create ns} can meet that too.
   */
  void awaitServiceAccount(String namespace) {
    cluster.serviceAccountToken(namespace, "default");
  }

  /** Creates a namespace with these labels and waits for its ServiceAccount token. */
  void createNamespace(String name, Map<String, String> labels) {
    kube()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
    awaitServiceAccount(name);
  }

  /** The service's webhook configuration in the cluster, or null. */
  MutatingWebhookConfiguration webhookConfiguration() {
    return kube()
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName("eci-virtual-node")
        .get();
  }

  /** The instances the cluster's pods say they run as. */
  Set<String> instancesOfLivePods() {
    return kube().pods().inAnyNamespace().list().getItems().stream()
        .map(Pods::instanceOf)
        .filter(Objects::nonNull)
        .collect(Collectors.toSet());
  }

  ControlPlane cluster() {
    return cluster;
  }

  /** The cluster administrator's client. */
  KubernetesClient kube() {
    return cluster.adminClient();
  }

  EciSandbox eci() {
    return eci;
  }

  /** The ECI calls the service made, as the sandbox received them. */
  EciCalls calls() {
    return calls;
  }

  ServiceProcess service() {
    return service;
  }

  String clusterId() {
    return clusterId;
  }

  Path workDir() {
    return workDir;
  }

  /** The machine's kubectl (v1.32) with the administrator's kubeconfig. */
  Kubectl adminKubectl() {
    return new Kubectl(
        Kubectl.onPath()
            .orElseThrow(() -> new AssertionError("no kubectl on PATH (the installer puts one)")),
        adminKubeconfig,
        workDir.resolve("kubectl-home"));
  }

  /** The kubectl of the control plane's own version (Debian's 1.20), when installed with it. */
  Optional<Kubectl> sameVersionKubectl() {
    return cluster
        .binaries()
        .kubectl()
        .map(
            k ->
                new Kubectl(
                    k, adminKubeconfig, workDir.resolve("kubectl-home-" + cluster.version())));
  }

  /** A REST request as the operator. */
  RequestSpecification operator() {
    return given()
        .baseUri(service.api().toString())
        .auth()
        .oauth2(OPERATOR_TOKEN)
        .contentType(ContentType.JSON);
  }

  /** A REST request as the tenant that registered the cluster. */
  RequestSpecification asTenant() {
    return given()
        .baseUri(service.api().toString())
        .auth()
        .oauth2(tenantToken)
        .contentType(ContentType.JSON);
  }

  /**
   * Switches the cluster's mode as its owner does ({@code PATCH} with the current version) and
   * waits until the status says the handoff is over.
   *
   * @return the final status
   */
  JsonPath switchMode(String mode) {
    long version =
        asTenant()
            .get("/api/v1/clusters/{id}", clusterId)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getLong("version");
    asTenant()
        .header("If-Match", "\"" + version + "\"")
        .body(Map.of("mode", mode))
        .patch("/api/v1/clusters/{id}", clusterId)
        .then()
        .statusCode(200);
    return await("the handoff to " + mode)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            this::status,
            s ->
                mode.equals(s.getString("handoff.toMode"))
                    && s.getString("handoff.finishedAt") != null);
  }

  /** The cluster's status as the REST API reports it. */
  JsonPath status() {
    return asTenant()
        .get("/api/v1/clusters/{id}/status", clusterId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Override
  public void close() {
    closeAll(List.of(cluster, database, eci, service)); // last started, first closed
  }

  private static void closeAll(List<? extends AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        if (resources.get(i) != null) {
          resources.get(i).close();
        }
      } catch (Exception e) {
        LOG.warn("closing {} failed", resources.get(i), e);
      }
    }
  }

  static Path projectRoot() {
    return Path.of(System.getProperty("vnode.e2e.project-root", "..")).toAbsolutePath().normalize();
  }

  private static Path serviceJar() {
    return Path.of(
            System.getProperty(
                "vnode.e2e.service-jar",
                projectRoot().resolve("service/target/quarkus-app/quarkus-run.jar").toString()))
        .toAbsolutePath()
        .normalize();
  }

  private static void deleteIfThere(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String random(int bytes) {
    byte[] raw = new byte[bytes];
    new SecureRandom().nextBytes(raw);
    return HexFormat.of().formatHex(raw);
  }
}
