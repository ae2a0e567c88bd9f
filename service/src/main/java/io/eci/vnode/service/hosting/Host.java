package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.selection.AdmissionHandler;
import io.eci.vnode.engine.threads.EngineThreads;
import io.eci.vnode.service.claims.Claim;
import io.eci.vnode.service.claims.ClaimStore;
import io.eci.vnode.service.claims.Relinquished;
import io.eci.vnode.service.claims.Revocations;
import io.eci.vnode.service.clusterstate.ClusterStateStore;
import io.eci.vnode.service.webhook.Admissions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engines of the managed clusters this replica claims. Once per period, in this order: one
 * statement renews every claim; engines whose claim was lost (expired, revoked by a mode change or
 * a deregistration, taken after a pause) stop; a replica above its fair share releases its excess;
 * unclaimed clusters are claimed up to the fair share; engines start for new claims ({@link
 * EngineFactory}) and restart for changed registrations; then the {@link StatusReporter} writes
 * every cluster's status and pod ledger, fenced by the claims' epochs. The in-cluster ownership
 * Lease is the second fence: an engine whose claim moved keeps out until the new owner's engine has
 * the Lease.
 */
@ApplicationScoped
public class Host implements Admissions {

  private static final Logger LOG = LoggerFactory.getLogger(Host.class);

  private final HostingConfig config;
  private final ClaimStore claims;
  private final Revocations revocations;
  private final EngineFactory factory;
  private final String replica;
  private final HostingMetrics metrics;
  private final StatusReporter reporter;
  private final RunningEngines engines;
  private EngineThreads threads;
  private ScheduledExecutorService loop;
  private volatile boolean reclaimed;

  @Inject
  Host(
      HostingConfig config,
      ClaimStore claims,
      Revocations revocations,
      EngineFactory factory,
      ClusterStateStore state,
      MeterRegistry registry,
      ClusterGuards guards) {
    this(
        config,
        claims,
        revocations,
        factory,
        state,
        registry,
        guards,
        config.replica().orElseGet(() -> ReplicaName.byDefault(System.getenv())));
  }

  /** A host under another replica name: tests run two replicas in one process. */
  public Host(
      HostingConfig config,
      ClaimStore claims,
      Revocations revocations,
      EngineFactory factory,
      ClusterStateStore state,
      MeterRegistry registry,
      ClusterGuards guards,
      String replica) {
    this.config = config;
    this.claims = claims;
    this.revocations = revocations;
    this.factory = factory;
    this.replica = replica;
    this.metrics = new HostingMetrics(registry, replica);
    this.reporter =
        new StatusReporter(
            state, metrics, guards, config.period(), config.outageSummaryPeriod(), replica);
    this.engines = new RunningEngines(metrics, reporter);
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
    reclaimed = false;
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "hosting-loop-" + replica);
              t.setDaemon(true);
              return t;
            });
    loop.scheduleWithFixedDelay(
        this::tickSafely, 0, config.period().toMillis(), TimeUnit.MILLISECONDS);
    LOG.info(
        "replica {} hosts managed clusters (claims of {}, every {})",
        replica,
        config.lease(),
        config.period());
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
    engines.ids().forEach(this::stopEngine);
    try {
      claims.retire(replica);
    } catch (RuntimeException e) {
      LOG.warn(
          "replica {} could not give up its claims (they expire instead): {}",
          replica,
          e.toString());
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
    engines.abandonAll();
    threads.close();
    loop = null;
  }

  public String replica() {
    return replica;
  }

  /** The clusters this replica runs an engine for now. */
  public List<UUID> hosted() {
    return engines.ids();
  }

  /** The engine of a hosted cluster, if this replica runs it. */
  public Optional<VirtualNode> engine(UUID clusterId) {
    return engines.get(clusterId).map(HostedEngine::engine);
  }

  @Override
  public Optional<AdmissionHandler> of(UUID clusterId) {
    return engine(clusterId).map(VirtualNode::admission);
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("hosting round of replica {} failed; the next one retries", replica, e);
    }
  }

  void tick() {
    reclaimOwnClaims();
    claims.renew(replica, config.lease());
    Map<UUID, Claim> owned = new HashMap<>();
    claims.owned(replica).forEach(c -> owned.put(c.clusterId(), c));
    stopLost(owned);
    reporter.retainFailures(owned.keySet());
    int fairShare = claims.census().fairShare();
    if (owned.size() > fairShare) {
      List<UUID> released =
          List.copyOf(new ArrayList<>(owned.keySet()).subList(fairShare, owned.size()));
      released.forEach(this::stopEngine);
      claims.release(replica, released);
      released.forEach(owned::remove);
      LOG.info(
          "replica {} released {} clusters above its fair share of {}",
          replica,
          released.size(),
          fairShare);
    } else {
      claims.claim(replica, fairShare, config.lease()).forEach(c -> owned.put(c.clusterId(), c));
    }
    for (HostedEngine outdated : factory.outdated(engines.all())) {
      LOG.info(
          "cluster {} changed; its engine restarts so new pods follow the change",
          outdated.cluster());
      stopEngine(outdated.claim().clusterId());
    }
    for (Claim claim : owned.values()) {
      if (!engines.runs(claim.clusterId())) {
        startEngine(claim);
      }
    }
    reporter.report(engines.all()).forEach(this::stopEngine);
  }

  /**
   * Once per start, before the first renewal: the claims still held under this replica's name were
   * left by its previous run, so they are taken back at once in a new tenure (the epoch bump fences
   * that run) instead of waited out; their engines then take over their own earlier terms'
   * ownership Leases at once too.
   */
  private void reclaimOwnClaims() {
    if (reclaimed) {
      return;
    }
    int back = claims.reclaim(replica, config.lease()).size();
    reclaimed = true;
    LOG.info("replica {} took back {} clusters it held before it started", replica, back);
  }

  /** Stops the engines whose claim this replica no longer holds in the same tenure. */
  private void stopLost(Map<UUID, Claim> owned) {
    List<UUID> lost = new ArrayList<>();
    for (HostedEngine hosted : engines.all()) {
      Claim now = owned.get(hosted.claim().clusterId());
      if (now == null || now.epoch() != hosted.claim().epoch()) {
        lost.add(hosted.claim().clusterId());
      }
    }
    Map<UUID, Relinquished> relinquished = revocations.relinquished(lost);
    for (UUID clusterId : lost) {
      Relinquished why = relinquished.get(clusterId);
      LOG.info(
          "replica {} no longer holds cluster {} ({}); stopping its engine",
          replica,
          engines.get(clusterId).orElseThrow().cluster(),
          why == null ? "claim moved" : why.reason());
      engines.stop(clusterId, why);
    }
  }

  private void startEngine(Claim claim) {
    Optional<HostedEngine> created;
    try {
      created = factory.create(claim, replica, threads);
    } catch (EngineFactory.NotStarted e) {
      // The reporter logs it, once when it starts failing and then at most once a minute.
      reporter.failed(claim, e.apiServer(), e.getMessage());
      return;
    }
    if (created.isEmpty()) {
      return;
    }
    HostedEngine hosted = created.get();
    try {
      engines.start(hosted);
      LOG.info(
          "replica {} runs the virtual node {} of cluster {} (epoch {})",
          replica,
          hosted.engine().nodeName(),
          hosted.cluster(),
          claim.epoch());
    } catch (RuntimeException e) {
      reporter.failed(claim, true, e.getMessage());
    }
  }

  private void stopEngine(UUID clusterId) {
    engines.stop(clusterId, null);
  }
}
