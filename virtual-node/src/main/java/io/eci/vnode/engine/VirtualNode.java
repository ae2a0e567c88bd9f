package io.eci.vnode.engine;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CountedInstances;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.node.LeaseHolder;
import io.eci.vnode.engine.node.NodeController;
import io.eci.vnode.engine.node.NodeHealth;
import io.eci.vnode.engine.node.NodeIdentity;
import io.eci.vnode.engine.node.NodeWork;
import io.eci.vnode.engine.node.OutageLog;
import io.eci.vnode.engine.node.OwnershipLease;
import io.eci.vnode.engine.node.Permissions;
import io.eci.vnode.engine.pod.PodController;
import io.eci.vnode.engine.selection.AdmissionHandler;
import io.eci.vnode.engine.selection.Steering;
import io.eci.vnode.engine.threads.EngineThreads;
import io.eci.vnode.engine.threads.Lane;
import io.eci.vnode.engine.translate.TranslationContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One cluster's virtual node, put together: its Node ({@link NodeController}, {@link NodeHealth}),
 * the ownership election ({@link OwnershipLease}: it acts only while it holds the cluster's Lease),
 * how selected pods reach it ({@link Steering}) and the pod controller that runs them on ECI. Both
 * hosts (the service, the agent) run it the same way: {@link #start()}, then {@link #close()}.
 */
public final class VirtualNode implements AutoCloseable {

  /** The coordination Lease whose holder alone may act for the cluster. */
  public static final String OWNERSHIP_LEASE = OwnershipLease.NAME;

  public static final String OWNERSHIP_NAMESPACE = OwnershipLease.NAMESPACE;

  /**
   * @param statusPeriod how often the instances' status is read (one batched describe per period)
   * @param clusterDns the cluster DNS address for ClusterFirst pods, when known
   * @param identity who this engine is in the ownership Lease, unique per engine: a hosted engine's
   *     is a {@link LeaseHolder} ({@code <replica>/<cluster-id>/<claim epoch>}), so that it
   *     recognises and takes over a Lease left by its own earlier term
   * @param leaseDuration how long the ownership Lease holds without renewal
   * @param renewDeadline how long the holder keeps trying to renew before it stops acting
   * @param retryPeriod how often candidates try to take the Lease
   * @param outageSummaryEvery while the cluster's API server keeps failing, how often the engine
   *     logs a summary line (one WARN when it starts failing, one INFO when it answers again)
   */
  public record Options(
      Duration statusPeriod,
      Optional<String> clusterDns,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      Duration outageSummaryEvery) {
    public static Options defaults(String identity) {
      return new Options(
          // A pod shows its instance's change within a period plus a write: 500 ms keeps that
          // under a second, at one DescribeContainerGroupStatus per 200 pods per period.
          Duration.ofMillis(500),
          Optional.empty(),
          identity,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          OutageLog.SUMMARY_EVERY);
    }
  }

  private final NodeController node;
  private final OwnershipLease ownership;
  private final NodeHealth health;
  private final PodController pods;
  private final Steering steering;
  private final EngineThreads threads;
  private final Lane nodeWork;
  private final CountedInstances eci;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A virtual node with threads of its own, for a host that runs only this one (the agent). */
  public VirtualNode(
      KubernetesClient client,
      VirtualNodeConfig config,
      NodeIdentity identity,
      ContainerInstances eci,
      Options options) {
    this(client, config, identity, eci, options, EngineThreads.create("vnode", 8), true);
  }

  /**
   * A virtual node on threads shared with the host's other virtual nodes (the service); it holds
   * none while idle.
   */
  public VirtualNode(
      KubernetesClient client,
      VirtualNodeConfig config,
      NodeIdentity identity,
      ContainerInstances eci,
      Options options,
      EngineThreads threads) {
    this(client, config, identity, eci, options, threads, false);
  }

  private VirtualNode(
      KubernetesClient client,
      VirtualNodeConfig config,
      NodeIdentity identity,
      ContainerInstances eci,
      Options options,
      EngineThreads threads,
      boolean ownsThreads) {
    this.eci = new CountedInstances(eci);
    this.threads = ownsThreads ? threads : null;
    this.nodeWork = threads.lane("node/" + config.clusterId(), 1);
    this.node =
        new NodeController(client, identity, config.quota(), config.clusterId(), Clock.systemUTC());
    NodeWork work = NodeWork.on(nodeWork);
    OutageLog apiServer =
        OutageLog.of(
            "API server " + node.apiServer() + " of cluster " + config.clusterId(),
            options.outageSummaryEvery());
    this.ownership =
        new OwnershipLease(
            client,
            options.identity(),
            identity.nodeName(),
            new OwnershipLease.Timing(
                options.leaseDuration(), options.renewDeadline(), options.retryPeriod()),
            work,
            apiServer);
    this.health =
        new NodeHealth(
            node,
            () -> Permissions.missing(client),
            ownership::isOwner,
            ownership::passive,
            work,
            Clock.systemUTC(),
            apiServer);
    this.steering =
        new Steering(
            client, identity.nodeName(), config.clusterId(), ownership::isOwner, nodeWork, threads);
    this.pods =
        new PodController(
            new PodController.Config(
                client,
                new TranslationContext(config, identity.nodeName(), options.clusterDns()),
                this.eci,
                threads,
                options.statusPeriod(),
                ownership::isOwner,
                steering.profile(),
                new PodController.Health() {
                  @Override
                  public void eci(Optional<EciException> failure) {
                    health.eci(failure);
                  }

                  @Override
                  public void forbidden(KubernetesClientException refusal) {
                    health.permissionDenied();
                  }
                }));
  }

  /** Competes for the ownership Lease; while it holds it, runs the node and its pods. At once. */
  public VirtualNode start() {
    ownership.start(health::takeOver, this::startControllers);
    health.start();
    return this;
  }

  /** The first term starts the controllers; later ones find them watching, ready to resume. */
  private void startControllers() {
    if (started.compareAndSet(false, true)) {
      steering.start();
      pods.start();
      steering.startBinding();
    }
  }

  /**
   * What the hosts show of a virtual node.
   *
   * @param owner whether this engine acts for the cluster
   * @param nodeReady whether the node takes pods (ECI reachable, credentials accepted)
   * @param podsByPhase the node's pods by phase
   * @param lastError the last ECI failure, if any
   * @param lastErrorAt when it happened
   * @param eciCalls ECI calls by operation
   * @param eciErrors failed ECI calls by error code
   * @param lastApiError the last failure to reach the cluster's API server, cleared once it answers
   *     again; else why the engine stays passive ("the ownership Lease … is held by …"); else what
   *     the cluster's RBAC refuses
   * @param lastApiErrorAt when it happened
   */
  public record Status(
      boolean owner,
      boolean nodeReady,
      Map<String, Long> podsByPhase,
      Optional<String> lastError,
      Optional<Instant> lastErrorAt,
      Map<String, Long> eciCalls,
      Map<String, Long> eciErrors,
      Optional<String> lastApiError,
      Optional<Instant> lastApiErrorAt) {}

  /** A snapshot of the virtual node's state. */
  public Status status() {
    boolean owner = ownership.isOwner();
    return new Status(
        owner,
        owner && health.eciHealthy(),
        pods.podsByPhase(),
        health.lastError(),
        health.lastErrorAt(),
        eci.calls(),
        eci.errors(),
        health.lastApiError(),
        health.lastApiErrorAt());
  }

  /**
   * The node's pods as the engine last saw them, with the instance each runs as, plus those deleted
   * in the last {@link PodController#DELETED_KEPT}: what a host records in its pod ledger.
   */
  public List<PodController.PodRecord> pods() {
    return pods.podRecords();
  }

  /**
   * The cluster's admission handler: steers selected pods to this node, with the cluster's
   * namespaces and eci-profile as they are at each review. One per engine.
   */
  public AdmissionHandler admission() {
    return steering.admission();
  }

  /**
   * Tells {@code listener} how long each instance this engine creates took, from the pod's first
   * sighting on the node to ECI's answer; for a host's create-latency histogram. It must return
   * quickly.
   */
  public void onInstanceCreated(Consumer<Duration> listener) {
    pods.onInstanceCreated(listener);
  }

  /** Whether this engine currently owns the cluster and acts for it. */
  public boolean isOwner() {
    return ownership.isOwner();
  }

  public String nodeName() {
    return node.nodeName();
  }

  /**
   * Closes for good and leaves the node NotReady with {@code reason} and {@code message} (paused,
   * handed to another controller), so {@code kubectl describe node} says why its pods are no longer
   * followed. Writes stop first; the report goes out while the Lease is still held, so it never
   * overwrites a newer owner's Ready. Pods and instances are left as they are.
   */
  public void closeNotReady(String reason, String message) {
    boolean owned = ownership.stopActing();
    if (owned) {
      health.reportStopped(reason, message);
    }
    shutDown(owned);
  }

  /** Stops every controller; an owner gives up the Lease so the next one need not wait. */
  @Override
  public void close() {
    shutDown(ownership.stopActing());
  }

  private void shutDown(boolean owned) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ownership.leave(owned);
    steering.close();
    pods.close();
    nodeWork.close();
    if (threads != null) {
      threads.close();
    }
  }
}
