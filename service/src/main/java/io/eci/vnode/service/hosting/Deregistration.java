package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.claims.Deregistrations;
import io.eci.vnode.service.claims.Deregistrations.Job;
import io.eci.vnode.service.cluster.Drain;
import io.eci.vnode.service.cluster.RegistrationRemoval;
import io.eci.vnode.service.hosting.ClusterGuards.Boundary;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a cluster before its registration is deleted, so that no ECI instance outlives it. A
 * DELETE only marks the cluster deregistering ({@link #begin}), which revokes its claim: the
 * hosting replica stops its engine within a period. {@link DeregistrationWorker} then runs {@link
 * #step} on whichever replica takes it until the drain is done: the engine's ownership Lease is
 * waited out, every instance tagged with the cluster deleted (ECI failures retried with back-off,
 * the cause kept for the status), the registration's node and Leases removed ({@link NodeRemoval})
 * and the row deleted. {@link #force} does all that at once, whatever ECI answers, and lists what
 * it could not delete.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class Deregistration implements Drain {

  private static final Logger LOG = LoggerFactory.getLogger(Deregistration.class);

  /** The longest wait between two attempts after ECI failures. */
  static final Duration MAX_BACK_OFF = Duration.ofMinutes(5);

  private static final Duration STOPPING_READS = Duration.ofSeconds(1);

  private final Deregistrations queue;
  private final HostedClusters clusters;
  private final ClusterConnections connections;
  private final ClusterGuards guards;
  private final RegistrationRemoval removal;
  private final NodeRemoval nodes;
  private final DrainedInstances eci;
  private final Duration period;

  Deregistration(
      Deregistrations queue,
      HostedClusters clusters,
      ClusterConnections connections,
      ClusterGuards guards,
      RegistrationRemoval removal,
      HostingConfig config) {
    this.queue = queue;
    this.clusters = clusters;
    this.connections = connections;
    this.guards = guards;
    this.removal = removal;
    this.nodes = new NodeRemoval(guards, queue::isReplica);
    this.eci = new DrainedInstances(guards, connections, queue);
    this.period = config.period();
  }

  @Override
  public void refuseWhilePodsRun(String tenantId, UUID clusterId) {
    HostedCluster cluster = clusters.load(tenantId, clusterId).orElse(null);
    if (cluster == null) {
      return;
    }
    List<Instance> running;
    try {
      running = eci.instances(cluster);
    } catch (RuntimeException e) {
      throw ApiProblem.http(
          Status.SERVICE_UNAVAILABLE,
          "The cluster's ECI instances could not be listed ("
              + e.getMessage()
              + "), so keepPods cannot be checked; nothing was changed. Try again later, or"
              + " deregister with force=true.");
    }
    if (!running.isEmpty()) {
      List<String> pods = DrainedInstances.pods(running);
      throw ApiProblem.conflict(
          "keepPods",
          running.size()
              + " pods still run as ECI instances ("
              + String.join(", ", pods.subList(0, Math.min(20, pods.size())))
              + (pods.size() > 20 ? ", ..." : "")
              + "); delete them, or deregister without keepPods to delete their instances");
    }
  }

  @Override
  public Instant begin(UUID clusterId, String actor, boolean keepPods) {
    return queue.begin(clusterId, actor, keepPods).orElse(null);
  }

  /**
   * One step of a deregistration a worker took; it gives the job back (with when to go on) or ends
   * it by deleting the registration. Never throws for an ECI or API-server failure.
   */
  void step(Job job) {
    HostedCluster cluster = clusters.load(job.tenantId(), job.clusterId()).orElse(null);
    if (cluster == null) {
      return; // deleted meanwhile (a forced deregistration): its job went with it
    }
    if (!job.wasHosted()) {
      finish(job.clusterId(), job.tenantId(), job.requestedBy(), Map.of("forced", false));
      return;
    }
    try (KubernetesClient kube = connections.kubernetes(cluster)) {
      if (engineMayStillRun(kube, cluster.id(), job.since())) {
        queue.stepped(cluster.id(), "waiting for the cluster's engine to stop", period);
        return;
      }
      List<Instance> left = eci.instances(cluster);
      if (job.keepPods() && !left.isEmpty()) {
        callOff(job, left);
        return;
      }
      for (Instance instance : left) {
        if (!"Terminating".equals(instance.rawStatus())) {
          eci.delete(cluster, instance.id());
        }
      }
      if (!left.isEmpty()) {
        queue.stepped(
            cluster.id(),
            left.size() + " ECI instances of the cluster are stopping",
            STOPPING_READS);
        return;
      }
      List<String> removed = nodes.remove(kube, cluster);
      finish(
          cluster.id(),
          job.tenantId(),
          job.requestedBy(),
          Map.of("forced", false, "nodes", removed));
    } catch (RuntimeException e) {
      Duration after = backOff(job.attempts());
      LOG.debug("deregistration of cluster {} failed a step", cluster, e);
      queue.failed(
          cluster.id(),
          "the last step failed (see lastError); retrying in " + after.toSeconds() + " s",
          e.getMessage(),
          after);
    }
  }

  @Override
  public List<LeftInstance> force(String tenantId, UUID clusterId, String actor) {
    Instant since = begin(clusterId, actor, false);
    HostedCluster cluster = clusters.load(tenantId, clusterId).orElse(null);
    if (since == null || cluster == null) {
      return List.of();
    }
    List<LeftInstance> left = new ArrayList<>();
    List<String> removed;
    try (KubernetesClient kube = connections.kubernetes(cluster)) {
      awaitTheEngine(kube, cluster.id(), since);
      left.addAll(eci.deleteWhatCanBe(cluster));
      removed = nodes.remove(kube, cluster);
    }
    if (!left.isEmpty()) {
      LOG.warn(
          "cluster {} deregistered by force; {} ECI instances may still run and were left: {}",
          cluster,
          left.size(),
          left.stream().map(LeftInstance::id).toList());
    }
    List<Map<String, Object>> listed =
        left.stream()
            .map(i -> Map.<String, Object>of("id", i.id(), "tags", i.tags(), "source", i.source()))
            .toList();
    finish(
        clusterId,
        tenantId,
        actor,
        Map.of("forced", true, "nodes", removed, "instancesLeft", listed));
    return left;
  }

  /**
   * Whether the registration's engine may still run: it holds the ownership Lease (bounded by two
   * periods and the Lease's own length since the deregistration began), or the API server cannot be
   * read yet two periods have not passed (its replica stops it at its next round).
   */
  private boolean engineMayStillRun(KubernetesClient kube, UUID clusterId, Instant since) {
    return engineMayStillRun(kube, clusterId, since, since.plus(period.multipliedBy(2)));
  }

  /** As above, an unreadable API server counting as a running engine until {@code unreadable}. */
  private boolean engineMayStillRun(
      KubernetesClient kube, UUID clusterId, Instant since, Instant unreadable) {
    Instant rounds = since.plus(period.multipliedBy(2));
    try {
      return Instant.now().isBefore(rounds.plus(EngineFactory.OWNERSHIP_LEASE))
          && guards.call(
              clusterId,
              Boundary.API_SERVER,
              Boolean.class,
              () -> nodes.engineHoldsTheLease(kube, clusterId));
    } catch (RuntimeException e) {
      LOG.debug("ownership Lease of {} not readable while draining: {}", clusterId, e.getMessage());
      return Instant.now().isBefore(unreadable);
    }
  }

  /**
   * A forced deregistration waits at most two periods, polling once a second, and only while it can
   * read that the engine still holds the ownership Lease.
   */
  private void awaitTheEngine(KubernetesClient kube, UUID clusterId, Instant since) {
    Instant deadline = Instant.now().plus(period.multipliedBy(2));
    try (Polling polling = new Polling("forced-deregistration", 1)) {
      polling.until(
          STOPPING_READS,
          deadline,
          () ->
              engineMayStillRun(kube, clusterId, since, since)
                  ? Optional.<Boolean>empty()
                  : Optional.of(true));
    }
  }

  private void callOff(Job job, List<Instance> left) {
    queue.callOff(job.clusterId());
    List<String> pods = DrainedInstances.pods(left);
    removal.calledOff(job.clusterId(), job.tenantId(), job.requestedBy(), pods);
    LOG.info(
        "deregistration of cluster {} called off: keepPods and {} pods still run",
        job.clusterId(),
        pods.size());
  }

  private void finish(UUID clusterId, String tenantId, String actor, Map<String, ?> details) {
    if (removal.remove(clusterId, tenantId, actor, details)) {
      LOG.info("cluster {} deregistered", clusterId);
    }
    guards.forget(clusterId);
    connections.forget(clusterId);
    eci.forget(clusterId);
  }

  /** The period doubled for each failed attempt, up to {@link #MAX_BACK_OFF}. */
  Duration backOff(int attempts) {
    Duration after = period.multipliedBy(1L << Math.min(attempts, 16));
    return after.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : after;
  }
}
