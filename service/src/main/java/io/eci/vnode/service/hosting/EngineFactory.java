package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.node.LeaseHolder;
import io.eci.vnode.engine.node.NodeIdentity;
import io.eci.vnode.engine.node.OutageLog;
import io.eci.vnode.engine.threads.EngineThreads;
import io.eci.vnode.service.claims.Claim;
import io.eci.vnode.service.cluster.ClusterIdentities;
import io.eci.vnode.service.hosting.ClusterGuards.Boundary;
import io.eci.vnode.service.webhook.WebhookSecrets;
import io.eci.vnode.service.webhook.Webhooks;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the engine of a claimed cluster: loads its registration, opens its API server and ECI,
 * names its node after the zone it already has (or its first vSwitch's), and installs the cluster's
 * admission webhook when this service has one. The engine is returned built, not started.
 */
@ApplicationScoped
@Startup // an unreadable webhook CA file must stop the service at boot, not fail every round
public class EngineFactory {

  private static final Logger LOG = LoggerFactory.getLogger(EngineFactory.class);

  /**
   * The in-cluster ownership Lease of a hosted engine. Longer than client-go's 15 s / 2 s because
   * it is the second fence, behind the claim: a replica that stops releases it at once, only a
   * crashed one leaves it to expire, and a renewal every 5 s instead of every 2 s is 2.5 times
   * fewer requests to every hosted cluster's API server (a thousand clusters: 400 requests a second
   * instead of 1,000, from one replica).
   */
  static final Duration OWNERSHIP_LEASE = Duration.ofSeconds(30);

  static final Duration OWNERSHIP_RENEW_DEADLINE = Duration.ofSeconds(20);
  static final Duration OWNERSHIP_RETRY = Duration.ofSeconds(5);

  /** Why a claimed cluster's engine could not be built; shown in its status until it starts. */
  static final class NotStarted extends RuntimeException {

    private final boolean apiServer;

    NotStarted(boolean apiServer, String message, Throwable cause) {
      super(message, cause);
      this.apiServer = apiServer;
    }

    /** Whether the cluster's API server is to blame rather than ECI or its credentials. */
    boolean apiServer() {
      return apiServer;
    }
  }

  private final HostingConfig config;
  private final HostedClusters clusters;
  private final ClusterConnections connections;
  private final ClusterGuards guards;
  private final Optional<Webhooks.Settings> webhooks;
  private final WebhookSecrets webhookSecrets;
  private final ClusterIdentities identities;

  EngineFactory(
      HostingConfig config,
      HostedClusters clusters,
      ClusterConnections connections,
      ClusterGuards guards,
      WebhookSecrets webhookSecrets,
      ClusterIdentities identities) {
    this.webhookSecrets = webhookSecrets;
    this.identities = identities;
    this.config = config;
    this.clusters = clusters;
    this.connections = connections;
    this.guards = guards;
    this.webhooks =
        Webhooks.Settings.of(
            config.webhookBaseUrl(), config.webhookCaFile(), config.webhookFailurePolicy());
  }

  /**
   * The claimed cluster's engine, built on {@code threads} and owned by {@code replica}, not yet
   * started; empty if the cluster is no longer registered.
   *
   * @throws NotStarted when its ECI, its zone or its API server cannot be set up now
   */
  Optional<HostedEngine> create(Claim claim, String replica, EngineThreads threads) {
    Optional<HostedCluster> found = clusters.load(claim.tenantId(), claim.clusterId());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    HostedCluster cluster = found.get();
    guards.renew(cluster.id(), cluster.version());
    KubernetesClient client = connections.kubernetes(cluster);
    try {
      if (!isTheRegisteredCluster(cluster, client)) {
        client.close();
        return Optional.empty();
      }
    } catch (NotStarted e) {
      client.close();
      throw e;
    }
    ContainerInstances eci;
    String zone;
    try {
      eci = connections.eci(cluster);
      zone = existingNodeZone(cluster, client).orElseGet(() -> firstVSwitchZone(cluster));
    } catch (RuntimeException e) {
      client.close();
      throw new NotStarted(false, e.getMessage(), e);
    }
    try {
      VirtualNode engine =
          new VirtualNode(
              client,
              new VirtualNodeConfig(
                  cluster.id().toString(),
                  cluster.region(),
                  cluster.vSwitchIds(),
                  cluster.securityGroupId(),
                  cluster.kubeProxy(),
                  cluster.eciCredentials(),
                  VirtualNodeConfig.Quota.defaults()),
              new NodeIdentity(cluster.region(), zone),
              eci,
              new VirtualNode.Options(
                  config.statusPeriod(),
                  Optional.empty(),
                  holder(replica, claim).identity(),
                  OWNERSHIP_LEASE,
                  OWNERSHIP_RENEW_DEADLINE,
                  OWNERSHIP_RETRY,
                  config.outageSummaryPeriod()),
              threads);
      webhooks.ifPresent(settings -> installWebhook(client, cluster, settings));
      return Optional.of(new HostedEngine(claim, cluster, client, engine));
    } catch (RuntimeException e) {
      client.close();
      throw new NotStarted(true, OutageLog.describe(e), e);
    }
  }

  /**
   * Who the claim's engine is in the cluster's ownership Lease: {@code
   * <replica>/<cluster-id>/<claim epoch>}, unique per engine, so two registrations of one cluster
   * (or two replicas) never both hold it, and a restarted replica's engine takes over the Lease of
   * its own earlier term at once. A deregistration recognises its registration's engine by the
   * cluster-id part ({@link LeaseHolder#parse}).
   */
  static LeaseHolder holder(String replica, Claim claim) {
    return new LeaseHolder(replica, claim.clusterId().toString(), claim.epoch());
  }

  /**
   * Whether the API server still answers for the cluster this registration is of: the {@code
   * kube-system} namespace's uid, recorded now when the registration has none (it was stored with
   * {@code ?validate=false}). False when the registration is gone.
   *
   * @throws NotStarted when the API server cannot be read, answers for another cluster, or for one
   *     another registration holds: two engines must never drive one cluster
   */
  private boolean isTheRegisteredCluster(HostedCluster cluster, KubernetesClient client) {
    String uid;
    try {
      uid =
          guards.call(
              cluster.id(),
              Boundary.API_SERVER,
              String.class,
              () -> {
                var namespace = client.namespaces().withName("kube-system").get();
                return namespace == null ? null : namespace.getMetadata().getUid();
              });
    } catch (RuntimeException e) {
      throw new NotStarted(true, "cannot read the cluster's identity: " + OutageLog.describe(e), e);
    }
    if (uid == null) {
      throw new NotStarted(
          true, "the API server has no kube-system namespace, so it is not this cluster's", null);
    }
    return switch (identities.recordIfUnknown(cluster.id(), uid)) {
      case RECORDED, SAME -> true;
      case GONE -> false;
      case HELD_ELSEWHERE ->
          throw new NotStarted(
              true,
              "another registration holds this API server's cluster (kube-system uid "
                  + uid
                  + "); this one's virtual node stays stopped until one of them is deregistered",
              null);
      case DIFFERENT ->
          throw new NotStarted(
              true,
              "the API server now answers for another cluster (kube-system uid "
                  + uid
                  + " is not the one registered); register that cluster on its own",
              null);
    };
  }

  /** Those of these engines whose cluster's registration changed since they were built. */
  List<HostedEngine> outdated(Collection<HostedEngine> engines) {
    Map<UUID, Long> versions =
        clusters.versions(engines.stream().map(e -> e.claim().clusterId()).toList());
    return engines.stream()
        .filter(
            e -> {
              Long version = versions.get(e.claim().clusterId());
              return version != null && version != e.cluster().version();
            })
        .toList();
  }

  private String firstVSwitchZone(HostedCluster cluster) {
    return guards.call(
        cluster.id(),
        Boundary.ECI,
        String.class,
        () -> connections.zoneOf(cluster, cluster.vSwitchIds().get(0)));
  }

  /**
   * The zone of the virtual node the cluster already has: its name stays when the vSwitches change
   * or the cluster moves to another replica, so the pods bound to it keep their node. Empty when
   * there is none yet, or the API server cannot say (the engine reports that itself).
   */
  private Optional<String> existingNodeZone(HostedCluster cluster, KubernetesClient client) {
    try {
      return Optional.ofNullable(
          guards.call(
              cluster.id(),
              Boundary.API_SERVER,
              String.class,
              () ->
                  client.nodes().withLabel("type", "virtual-kubelet").list().getItems().stream()
                      .map(n -> n.getMetadata().getLabels().get("topology.kubernetes.io/zone"))
                      .filter(Objects::nonNull)
                      .findFirst()
                      .orElse(null)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private void installWebhook(
      KubernetesClient client, HostedCluster cluster, Webhooks.Settings settings) {
    try {
      guards.run(
          cluster.id(),
          Boundary.API_SERVER,
          () -> Webhooks.install(client, cluster.id(), webhookSecrets.of(cluster.id()), settings));
    } catch (RuntimeException e) {
      // The binder places selected pods without it; the engine reports an unreachable API server.
      LOG.warn("webhook of cluster {} not installed: {}", cluster, e.getMessage());
    }
  }
}
