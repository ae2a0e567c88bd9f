package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.node.NodeIdentity;
import io.eci.vnode.engine.pod.PodController.PodRecord;
import io.eci.vnode.engine.threads.EngineThreads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the engines of the managed clusters this replica claims. Once per period, in this order: one
 * statement renews every claim; engines whose claim was lost (expired, revoked by a mode change or
 * a deregistration, taken after a pause) stop; a replica above its fair share releases its excess;
 * unclaimed clusters are claimed up to the fair share; engines start for new claims and restart for
 * changed registrations; then one batch writes every cluster's status and one its pod ledger,
 * fenced by the claims' epochs. The in-cluster ownership Lease is the second fence: an engine whose
 * claim moved keeps out until the new owner's engine has the Lease.
 */
@ApplicationScoped
public class Host {

  private static final Logger LOG = Logger.getLogger(Host.class);

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

  /** An engine running for a claim. */
  private record Hosted(
      Claim claim, HostedCluster cluster, KubernetesClient client, VirtualNode engine) {}

  private final HostingConfig config;
  private final ClaimStore claims;
  private final ClusterStateStore state;
  private final HostedClusters clusters;
  private final ClusterConnections connections;
  private final ClusterGuards guards;
  private final String replica;
  private final HostingMetrics metrics;
  private final Optional<Webhooks.Settings> webhooks;
  private final Map<UUID, Hosted> engines = new ConcurrentHashMap<>();
  private final Map<UUID, StartFailure> failures = new ConcurrentHashMap<>();
  private final Map<UUID, Map<String, PodRow>> ledgerWritten = new ConcurrentHashMap<>();
  private EngineThreads threads;
  private ScheduledExecutorService loop;

  /** Why a claimed cluster's engine could not start; shown in its status until it does. */
  private record StartFailure(Claim claim, boolean api, String message, Instant at) {}

  @jakarta.inject.Inject
  Host(
      HostingConfig config,
      ClaimStore claims,
      ClusterStateStore state,
      HostedClusters clusters,
      ClusterConnections connections,
      ClusterGuards guards,
      io.micrometer.core.instrument.MeterRegistry registry) {
    this(
        config,
        claims,
        state,
        clusters,
        connections,
        guards,
        registry,
        config.replica().orElseGet(Host::defaultName));
  }

  /** A host under another replica name: tests run two replicas in one process. */
  public Host(
      HostingConfig config,
      ClaimStore claims,
      ClusterStateStore state,
      HostedClusters clusters,
      ClusterConnections connections,
      ClusterGuards guards,
      io.micrometer.core.instrument.MeterRegistry registry,
      String replica) {
    this.guards = guards;
    this.metrics = new HostingMetrics(registry, replica);
    this.config = config;
    this.claims = claims;
    this.state = state;
    this.clusters = clusters;
    this.connections = connections;
    this.replica = replica;
    this.webhooks = Webhooks.Settings.from(config);
  }

  void onStart(@Observes StartupEvent event) {
    if (config.enabled()) {
      start();
    } else {
      LOG.info("hosting of managed clusters is off on this replica (vnode.hosting.enabled=false)");
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Starts claiming and hosting; returns at once. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    threads = EngineThreads.create("hosting-" + replica, config.workers());
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hosting-loop-" + replica);
              t.setDaemon(true);
              return t;
            });
    loop.scheduleWithFixedDelay(
        this::tickSafely, 0, config.period().toMillis(), TimeUnit.MILLISECONDS);
    LOG.infof(
        "replica %s hosts managed clusters (claims of %s, every %s)",
        replica, config.lease(), config.period());
  }

  /**
   * Stops every engine (each releases its cluster's ownership Lease) and gives up every claim, so
   * another replica takes the clusters at once instead of after the lease.
   */
  public synchronized void stop() {
    if (loop == null) {
      return;
    }
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List.copyOf(engines.keySet()).forEach(this::stopEngine);
    try {
      claims.retire(replica);
    } catch (RuntimeException e) {
      LOG.warnf("replica %s could not give up its claims (they expire instead): %s", replica, e);
    }
    threads.close();
    loop = null;
  }

  /** Stops without releasing anything: what a crash looks like to the other replicas. */
  public synchronized void crash() {
    if (loop == null) {
      return;
    }
    loop.shutdownNow();
    engines.values().forEach(h -> closeQuietly(h, null));
    engines.clear();
    threads.close();
    loop = null;
  }

  public String replica() {
    return replica;
  }

  /** The clusters this replica runs an engine for now. */
  public List<UUID> hosted() {
    return List.copyOf(engines.keySet());
  }

  /** The engine of a hosted cluster, if this replica runs it. */
  public Optional<VirtualNode> engine(UUID clusterId) {
    return Optional.ofNullable(engines.get(clusterId)).map(Hosted::engine);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.errorf(e, "hosting round of replica %s failed; the next one retries", replica);
    }
  }

  void tick() {
    claims.renew(replica, config.lease());
    Map<UUID, Claim> owned = new HashMap<>();
    claims.owned(replica).forEach(c -> owned.put(c.clusterId(), c));
    List<UUID> lost = new ArrayList<>();
    for (Hosted hosted : engines.values()) {
      Claim now = owned.get(hosted.claim().clusterId());
      if (now == null || now.epoch() != hosted.claim().epoch()) {
        lost.add(hosted.claim().clusterId());
      }
    }
    Map<UUID, Relinquished> relinquished = claims.relinquished(lost);
    for (UUID clusterId : lost) {
      Relinquished why = relinquished.get(clusterId);
      LOG.infof(
          "replica %s no longer holds cluster %s (%s); stopping its engine",
          replica, engines.get(clusterId).cluster(), why == null ? "claim moved" : why.reason());
      stopEngine(clusterId, why);
    }
    failures.keySet().retainAll(owned.keySet());
    int fairShare = claims.census().fairShare();
    if (owned.size() > fairShare) {
      List<UUID> excess = new ArrayList<>(owned.keySet()).subList(fairShare, owned.size());
      List<UUID> released = List.copyOf(excess);
      released.forEach(this::stopEngine);
      claims.release(replica, released);
      released.forEach(owned::remove);
      LOG.infof(
          "replica %s released %d clusters above its fair share of %d",
          replica, released.size(), fairShare);
    } else {
      claims.claim(replica, fairShare, config.lease()).forEach(c -> owned.put(c.clusterId(), c));
    }
    Map<UUID, Long> versions = clusters.versions(engines.keySet());
    for (Hosted hosted : List.copyOf(engines.values())) {
      Long version = versions.get(hosted.claim().clusterId());
      if (version != null && version != hosted.cluster().version()) {
        LOG.infof(
            "cluster %s changed; its engine restarts so new pods follow the change",
            hosted.cluster());
        stopEngine(hosted.claim().clusterId());
      }
    }
    for (Claim claim : owned.values()) {
      if (!engines.containsKey(claim.clusterId())) {
        startEngine(claim);
      }
    }
    writeState();
  }

  private void startEngine(Claim claim) {
    Optional<HostedCluster> found = clusters.load(claim.clusterId());
    if (found.isEmpty()) {
      return;
    }
    HostedCluster cluster = found.get();
    KubernetesClient client = connections.kubernetes(cluster);
    String zone;
    ContainerInstances eci;
    try {
      eci = connections.eci(cluster);
      zone =
          existingNodeZone(cluster, client)
              .orElseGet(
                  () ->
                      guards.call(
                          cluster.id(),
                          ClusterGuards.Boundary.ECI,
                          String.class,
                          () -> connections.zoneOf(cluster, cluster.vSwitchIds().get(0))));
    } catch (RuntimeException e) {
      client.close();
      fail(claim, false, e.getMessage());
      return;
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
                  replica,
                  OWNERSHIP_LEASE,
                  OWNERSHIP_RENEW_DEADLINE,
                  OWNERSHIP_RETRY),
              threads);
      webhooks.ifPresent(settings -> installWebhook(client, cluster, settings));
      engines.put(claim.clusterId(), new Hosted(claim, cluster, client, engine));
      metrics.hosting(cluster, engine);
      failures.remove(claim.clusterId());
      engine.start();
      LOG.infof(
          "replica %s runs the virtual node %s of cluster %s (epoch %d)",
          replica, engine.nodeName(), cluster, claim.epoch());
    } catch (RuntimeException e) {
      client.close();
      engines.remove(claim.clusterId());
      fail(claim, true, e.getMessage());
    }
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
              ClusterGuards.Boundary.API_SERVER,
              String.class,
              () ->
                  client.nodes().withLabel("type", "virtual-kubelet").list().getItems().stream()
                      .map(n -> n.getMetadata().getLabels().get("topology.kubernetes.io/zone"))
                      .filter(java.util.Objects::nonNull)
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
          ClusterGuards.Boundary.API_SERVER,
          () -> Webhooks.install(client, cluster.id(), settings));
    } catch (RuntimeException e) {
      // The binder places selected pods without it; the engine reports an unreachable API server.
      LOG.warnf("webhook of cluster %s not installed: %s", cluster, e.getMessage());
    }
  }

  private void fail(Claim claim, boolean api, String message) {
    LOG.warnf("engine of cluster %s not started: %s", claim.clusterId(), message);
    failures.put(claim.clusterId(), new StartFailure(claim, api, message, Instant.now()));
  }

  private void stopEngine(UUID clusterId) {
    stopEngine(clusterId, null);
  }

  /**
   * Stops a cluster's engine. When its owner relinquished it (paused, unmanaged, deregistering),
   * the node is left NotReady saying so; when the claim only moved, the node is left as it is for
   * the next owner. The report is bounded by the client's timeouts.
   */
  private void stopEngine(UUID clusterId, Relinquished why) {
    Hosted hosted = engines.remove(clusterId);
    ledgerWritten.remove(clusterId);
    metrics.stopped(clusterId);
    if (hosted != null) {
      closeQuietly(hosted, why);
    }
  }

  private static void closeQuietly(Hosted hosted, Relinquished why) {
    try {
      if (why == null) {
        hosted.engine().close();
      } else {
        hosted.engine().closeNotReady(why.reason(), why.message());
      }
    } catch (RuntimeException e) {
      LOG.warnf("engine of %s did not close cleanly: %s", hosted.cluster(), e);
    } finally {
      hosted.client().close();
    }
  }

  private void writeState() {
    List<StatusRow> statuses = new ArrayList<>();
    List<PodRow> pods = new ArrayList<>();
    Map<UUID, Map<String, PodRow>> written = new HashMap<>();
    for (Hosted hosted : engines.values()) {
      VirtualNode.Status s = hosted.engine().status();
      metrics.observe(hosted.cluster(), hosted.engine(), s);
      statuses.add(
          new StatusRow(
              hosted.claim().clusterId(),
              hosted.claim().epoch(),
              s.nodeReady(),
              s.owner() ? Instant.now() : null,
              PodCounts.fromPhases(s.podsByPhase()),
              s.lastApiError().map(m -> new LastError(m, s.lastApiErrorAt().orElse(Instant.now()))),
              s.lastError().map(m -> new LastError(m, s.lastErrorAt().orElse(Instant.now())))));
      Map<String, PodRow> before = ledgerWritten.getOrDefault(hosted.claim().clusterId(), Map.of());
      Map<String, PodRow> now = new HashMap<>();
      for (PodRecord pod : hosted.engine().pods()) {
        PodRow row = row(hosted.claim(), pod);
        now.put(pod.uid(), row);
        if (!row.equals(before.get(pod.uid()))) {
          pods.add(row);
        }
      }
      written.put(hosted.claim().clusterId(), now);
    }
    for (StartFailure f : failures.values()) {
      LastError error = new LastError(f.message(), f.at());
      statuses.add(
          new StatusRow(
              f.claim().clusterId(),
              f.claim().epoch(),
              false,
              null,
              PodCounts.NONE,
              f.api() ? Optional.of(error) : Optional.empty(),
              f.api() ? Optional.empty() : Optional.of(error)));
    }
    Written statusWrite = state.writeStatuses(statuses);
    Written podWrite = state.writePods(pods);
    written.forEach(
        (id, rows) -> {
          if (!podWrite.fenced().contains(id)) {
            ledgerWritten.put(id, rows);
          }
        });
    statusWrite.fenced().forEach(this::stopEngine);
    podWrite.fenced().forEach(this::stopEngine);
  }

  private static PodRow row(Claim claim, PodRecord pod) {
    return new PodRow(
        claim.clusterId(),
        claim.epoch(),
        pod.uid(),
        pod.namespace(),
        pod.name(),
        pod.instanceId().orElse(null),
        pod.zone().orElse(null),
        PodPhase.fromWire(pod.phase()).orElse(PodPhase.Unknown),
        pod.createdAt(),
        pod.deletedAt().orElse(null));
  }

  private static String defaultName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "replica";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
