package io.eci.vnode.service.hosting;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.profile.DefaultProfile;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.eci.VSwitchZones;
import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens what an engine talks to for one cluster: its API server (a fabric8 client on the host's one
 * Vert.x, so a cluster adds no event-loop threads) and ECI in its region with its credentials.
 */
@ApplicationScoped
public class ClusterConnections {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Threads for the clients' own tasks (informer handlers, watch reconnects, leader-election
   * renewals), shared by every cluster: a fabric8 client otherwise keeps a pool of its own, about a
   * thread per idle cluster. The pool grows with the tasks running at once, not with clusters, and
   * never queues: a cluster whose API server hangs holds its own threads and never delays another
   * cluster's lease renewal. Idle threads end after a while.
   */
  private static final long CLIENT_TASK_KEEP_ALIVE_SECONDS = 30;

  private final Vertx vertx;
  private final VertxHttpClientFactory http;
  private final ThreadPoolExecutor clientTasks;
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final Optional<String> eciEndpoint;
  private final Optional<EciCredentials.AccessKey> stsIdentity;
  private final Map<UUID, AssumedRoleCredentials> roleCredentials = new ConcurrentHashMap<>();
  private final ClusterGuards guards;

  ClusterConnections(AlibabaCloudConfig alibabaCloud, StsConfig sts, ClusterGuards guards) {
    this.guards = guards;
    // One Vert.x of its own, two event loops, for every cluster's client: a cluster adds no
    // threads, and the clusters' traffic never runs on the event loops that serve the API.
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    this.http = new VertxHttpClientFactory(vertx);
    this.clientTasks =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            CLIENT_TASK_KEEP_ALIVE_SECONDS,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            clientTaskThreads());
    this.eciEndpoint = alibabaCloud.endpoint();
    this.stsIdentity = sts.identity();
  }

  @PreDestroy
  void close() {
    clientTasks.shutdownNow();
    vertx.close();
  }

  /** A client for the cluster's API server; the caller closes it. */
  public KubernetesClient kubernetes(HostedCluster cluster) {
    ApiCredentialsSpec credentials = cluster.apiCredentials();
    Config config;
    if (credentials.kubeconfig() != null) {
      config = Config.fromKubeconfig(credentials.kubeconfig());
    } else {
      ConfigBuilder builder =
          new ConfigBuilder(Config.empty()).withMasterUrl(cluster.apiServerUrl());
      if (cluster.apiServerCa() != null) {
        builder.withCaCertData(base64(cluster.apiServerCa()));
      }
      if (credentials.token() != null) {
        builder.withOauthToken(credentials.token());
      } else {
        builder
            .withClientCertData(base64(credentials.clientCertificate()))
            .withClientKeyData(base64(credentials.clientKey()));
      }
      config = builder.build();
    }
    // A cluster that stops answering must fail its calls fast, not hold a worker for minutes.
    config.setConnectionTimeout(5_000);
    config.setRequestTimeout(10_000);
    config.setRequestRetryBackoffLimit(1);
    // Watches as HTTP streams, as client-go makes them: no WebSocket upgrade for a proxy in front
    // of
    // the API server to refuse, and no handshake to wait out before falling back (fabric8 waits
    // its request timeout for a stalled one, per watch).
    config.setOnlyHttpWatches(true);
    // One serialization for all clients: each would otherwise build its own Jackson mapper and
    // type registry (about 2 MiB a client, measured in the hosting benchmark).
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(http)
        .withKubernetesSerialization(serialization)
        .withTaskExecutor(clientTasks)
        .build();
  }

  /**
   * The cluster's ECI behind a SmallRye Fault Tolerance guard of its own ({@link GuardedInstances}:
   * retries, circuit breaker, timeout, bulkhead, rate limit).
   *
   * @throws IllegalStateException when the cluster's credentials are a RAM role and this service
   *     has no identity of its own to assume it with
   */
  public ContainerInstances eci(HostedCluster cluster) {
    guards.forgetEngineMeters(cluster.id());
    return new GuardedInstances(
        unguardedEci(cluster), cluster.id().toString(), guards.trouble(cluster.id()));
  }

  /**
   * The cluster's ECI without a guard, for calls made under {@link ClusterGuards}' ECI guard (a
   * second {@link GuardedInstances} of a cluster would register its meters twice).
   *
   * @throws IllegalStateException as {@link #eci}
   */
  ContainerInstances unguardedEci(HostedCluster cluster) {
    return new EciSdkInstances(sdk(cluster), cluster.region(), eciEndpoint);
  }

  /**
   * The zone of a vSwitch, from VPC's DescribeVSwitches: the node is named after the zone of the
   * cluster's first vSwitch.
   */
  public String zoneOf(HostedCluster cluster, String vSwitchId) {
    return VSwitchZones.zoneOf(sdk(cluster), cluster.region(), eciEndpoint, vSwitchId);
  }

  /**
   * An SDK client that signs with the cluster's credentials (a RAM role assumed as for {@link
   * #eci}), for one-off reads outside the engine: the registration checks.
   *
   * @throws IllegalStateException as {@link #eci} does
   */
  public IAcsClient cloud(HostedCluster cluster) {
    return sdk(cluster);
  }

  /**
   * {@code host:port} of the plain-HTTP stand-in serving ECI, VPC, ECS, RAM and STS ({@code
   * vnode.eci.endpoint}), or empty for Alibaba Cloud's own endpoints.
   */
  public Optional<String> endpoint() {
    return eciEndpoint;
  }

  private IAcsClient sdk(HostedCluster cluster) {
    if (cluster.eciCredentials() instanceof EciCredentials.AccessKey key) {
      return new DefaultAcsClient(
          DefaultProfile.getProfile(cluster.region(), key.id(), key.secret()));
    }
    if (cluster.eciCredentials() instanceof EciCredentials.RamRole role) {
      EciCredentials.AccessKey service =
          stsIdentity.orElseThrow(
              () ->
                  new IllegalStateException(
                      "RAM role "
                          + role.roleArn()
                          + " cannot be assumed: this service has no RAM identity of its own"
                          + " (vnode.sts.access-key-id and -secret are not set); register an"
                          + " AccessKey pair instead"));
      // One set of temporary credentials per cluster and role, shared by its zone lookup, its
      // engine and the engine's restarts: AssumeRole once per lifetime, not once per client.
      AssumedRoleCredentials credentials =
          roleCredentials.compute(
              cluster.id(),
              (id, known) ->
                  known != null && known.roleArn().equals(role.roleArn())
                      ? known
                      : new AssumedRoleCredentials(
                          service,
                          role,
                          cluster.region(),
                          "eci-vnode-" + cluster.id(),
                          cluster.tenantId(),
                          eciEndpoint,
                          Clock.systemUTC()));
      return new DefaultAcsClient(DefaultProfile.getProfile(cluster.region()), credentials);
    }
    throw new IllegalStateException(
        "cluster " + cluster.id() + " has credentials a registration never stores");
  }

  /**
   * Temporary credentials of the cluster's RAM role, assumed as for its engine (the same ones,
   * shared), for the cluster's agent, which signs its ECI calls itself.
   *
   * @throws IllegalStateException when the cluster's credentials are not a RAM role, this service
   *     has no identity to assume it with, or STS refuses
   */
  public TemporaryCredentials temporaryCredentials(HostedCluster cluster) {
    sdk(cluster);
    AssumedRoleCredentials credentials = roleCredentials.get(cluster.id());
    if (credentials == null) {
      throw new IllegalStateException("cluster " + cluster.id() + " has no RAM role to assume");
    }
    try {
      return credentials.temporary();
    } catch (ClientException e) {
      throw new IllegalStateException(
          "RAM role of cluster "
              + cluster.id()
              + " could not be assumed: "
              + e.getErrCode()
              + ": "
              + e.getErrMsg(),
          e);
    }
  }

  /** Drops what is kept for a cluster (its role's credentials) once it is deregistered. */
  public void forget(UUID clusterId) {
    roleCredentials.remove(clusterId);
  }

  private static ThreadFactory clientTaskThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "cluster-client-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
