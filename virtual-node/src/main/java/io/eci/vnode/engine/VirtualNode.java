package io.eci.vnode.engine;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CountedInstances;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.node.NodeController;
import io.eci.vnode.engine.node.NodeIdentity;
import io.eci.vnode.engine.node.Permissions;
import io.eci.vnode.engine.pod.PodController;
import io.eci.vnode.engine.selection.AdmissionHandler;
import io.eci.vnode.engine.selection.Binder;
import io.eci.vnode.engine.selection.ProfileWatcher;
import io.eci.vnode.engine.threads.EngineThreads;
import io.eci.vnode.engine.threads.Lane;
import io.eci.vnode.engine.translate.TranslationContext;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's virtual node: its Node and Lease, the binder of selected pods, and the pod
 * controller that runs them on ECI. Both hosts (the service for managed clusters, the agent for
 * unmanaged ones) run it the same way: {@link #start()}, then {@link #close()}. It acts only while
 * it holds the cluster's coordination Lease {@code kube-system/eci-virtual-node-controller}, the
 * fence that keeps two hosts from ever writing to one cluster at once.
 */
public final class VirtualNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VirtualNode.class);

  /** The coordination Lease whose holder alone may act for the cluster. */
  public static final String OWNERSHIP_LEASE = "eci-virtual-node-controller";

  public static final String OWNERSHIP_NAMESPACE = "kube-system";

  /**
   * @param statusPeriod how often the instances' status is read (one batched describe per period)
   * @param clusterDns the cluster DNS address for ClusterFirst pods, when known
   * @param identity who this engine is in the ownership Lease (host, replica)
   * @param leaseDuration how long the ownership Lease holds without renewal
   * @param renewDeadline how long the holder keeps trying to renew before it stops acting
   * @param retryPeriod how often candidates try to take the Lease
   */
  public record Options(
      Duration statusPeriod,
      Optional<String> clusterDns,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {
    public static Options defaults(String identity) {
      return new Options(
          // A pod shows its instance's change within a period plus a write: 500 ms keeps that
          // under a second, at one DescribeContainerGroupStatus per 200 pods per period.
          Duration.ofMillis(500),
          Optional.empty(),
          identity,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(2));
    }
  }

  private final KubernetesClient client;
  private final Options options;
  private final NodeController node;
  private final PodController pods;
  private final Binder binder;
  private final ProfileWatcher profile;
  private final EngineThreads threads;
  private final Lane nodeWork;
  private final Lane bindings;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final CountedInstances eci;
  private volatile boolean eciHealthy = true;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private volatile String lastApiError;
  private volatile Instant lastApiErrorAt;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicInteger terms =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile CompletableFuture<?> election;
  private volatile List<Permissions.Permission> missingPermissions = List.of();
  private volatile Instant missingPermissionsSince;
  private volatile Instant permissionsCheckedAt;
  private final AtomicBoolean permissionCheckDue = new AtomicBoolean();

  /**
   * How often an owner asks the API server again what it may do (a review per permission): RBAC
   * rarely changes, and a refused write asks at once.
   */
  static final Duration PERMISSIONS_RECHECK = Duration.ofMinutes(10);

  /** How often an owner that lacks a permission asks again whether it has been granted. */
  static final Duration RECHECK_WHILE_MISSING = Duration.ofSeconds(15);

  /** A virtual node with threads of its own, for a host that runs only this one (the agent). */
  public VirtualNode(
      KubernetesClient client,
      VirtualNodeConfig config,
      NodeIdentity identity,
      ContainerInstances eci,
      Options options) {
    this(
        client,
        config,
        identity,
        eci,
        options,
        EngineThreads.create("virtual-node-" + config.clusterId(), 8),
        true);
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
    this.client = client;
    this.options = options;
    this.eci = new CountedInstances(eci);
    this.threads = ownsThreads ? threads : null;
    this.nodeWork = threads.lane("node/" + config.clusterId(), 1);
    this.bindings = threads.lane("bindSelectedPods/" + config.clusterId(), 2);
    this.node = new NodeController(client, identity, config.quota(), Clock.systemUTC());
    TranslationContext context =
        new TranslationContext(config, identity.nodeName(), options.clusterDns());
    this.profile = new ProfileWatcher(client, nodeWork);
    this.pods =
        new PodController(
            new PodController.Config(
                client,
                context,
                this.eci,
                threads,
                options.statusPeriod(),
                leading::get,
                profile,
                new PodController.Health() {
                  @Override
                  public void eci(Optional<EciException> failure) {
                    eciHealth(failure);
                  }

                  @Override
                  public void forbidden(KubernetesClientException refusal) {
                    permissionDenied();
                  }
                }));
    this.binder =
        new Binder(
            client,
            identity.nodeName(),
            config.clusterId(),
            profile,
            leading::get,
            bindings,
            Clock.systemUTC());
  }

  /**
   * Competes for the cluster's ownership Lease; while it holds it, registers the node, renews the
   * node's lease, binds selected pods and runs bound ones. Returns at once.
   */
  public VirtualNode start() {
    elect();
    nodeWork.scheduleEvery(
        this::renewLease, Duration.ofSeconds(NodeController.RENEW_EVERY_SECONDS));
    nodeWork.scheduleEvery(this::checkPermissionsIfOwner, PERMISSIONS_RECHECK);
    return this;
  }

  /**
   * Runs for the Lease until closed. fabric8's elector gives up for good on an error (an API server
   * that stops answering), so a new election starts whenever one ends while the node is open.
   */
  private void elect() {
    if (closed.get()) {
      return;
    }
    LeaderElectionConfig config =
        new LeaderElectionConfigBuilder()
            .withName(OWNERSHIP_LEASE)
            .withLock(new LeaseLock(OWNERSHIP_NAMESPACE, OWNERSHIP_LEASE, options.identity()))
            .withLeaseDuration(options.leaseDuration())
            .withRenewDeadline(options.renewDeadline())
            .withRetryPeriod(options.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    this::becomeOwner,
                    this::stopActing,
                    holder -> LOG.info("owner of {} is now {}", node.nodeName(), holder)))
            .build();
    CompletableFuture<?> running = client.leaderElector().withConfig(config).build().start();
    election = running;
    running.whenComplete(
        (done, error) -> {
          stopActing();
          if (!closed.get()) {
            nodeWork.schedule(this::elect, options.retryPeriod());
          }
        });
  }

  /**
   * Called by the elector while it holds its own lock: the take-over itself (registering the node,
   * starting informers) runs on the node's lane, so a slow API server never blocks the elector, nor
   * a close() that cancels it.
   */
  private void becomeOwner() {
    int term = terms.incrementAndGet();
    try {
      nodeWork.execute(() -> takeOver(term));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("virtual node {} closed before it took over", node.nodeName());
    }
  }

  private void takeOver(int term) {
    if (term != terms.get() || closed.get()) {
      return;
    }
    LOG.info("{} owns the virtual node {}", options.identity(), node.nodeName());
    // after this take-over on the same lane, so the reviews never delay the node's registration;
    // a registration that fails (for lack of permission, say) is retried after it
    if (permissionsCheckedAt == null
        || permissionsCheckedAt.isBefore(Instant.now().minus(Duration.ofMinutes(1)))) {
      try {
        nodeWork.execute(this::checkPermissions);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return; // closed meanwhile
      }
    }
    try {
      node.register();
      node.renewLease();
    } catch (RuntimeException e) {
      lastApiError = "virtual node not registered: " + e.getMessage();
      lastApiErrorAt = Instant.now();
      LOG.warn("virtual node {} not registered; retrying: {}", node.nodeName(), e.toString());
      nodeWork.schedule(() -> takeOver(term), options.retryPeriod());
      return;
    }
    leading.set(true);
    if (started.compareAndSet(false, true)) {
      profile.start();
      pods.start();
      binder.start();
    }
  }

  /** Losing the Lease stops every write at once; the controllers keep watching, ready to resume. */
  private void stopActing() {
    terms.incrementAndGet();
    if (leading.getAndSet(false)) {
      LOG.warn(
          "{} lost ownership of the virtual node {}; writes stopped",
          options.identity(),
          node.nodeName());
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
   *     again
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
    return new Status(
        leading.get(),
        leading.get() && eciHealthy,
        pods.podsByPhase(),
        Optional.ofNullable(lastError),
        Optional.ofNullable(lastErrorAt),
        eci.calls(),
        eci.errors(),
        Optional.ofNullable(lastApiError).or(this::permissionsProblem),
        Optional.ofNullable(lastApiErrorAt).or(() -> Optional.ofNullable(missingPermissionsSince)));
  }

  /** What the cluster's RBAC refuses the engine, as a sentence; empty when it refuses nothing. */
  private Optional<String> permissionsProblem() {
    List<Permissions.Permission> missing = missingPermissions;
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "The cluster's RBAC does not let the virtual node "
            + missing.stream()
                .map(Object::toString)
                .collect(java.util.stream.Collectors.joining(", "))
            + "; grant them (deploy/cluster/eci-virtual-node.yaml lists every permission). Until"
            + " then what needs them fails and is retried.");
  }

  /**
   * A write was refused for lack of permission: ask which permissions are missing, soon. Not when
   * something is known to be missing already (the re-check while missing is running) or was just
   * asked: a status write refused every poll must not cost a round of reviews every poll.
   */
  private void permissionDenied() {
    Instant checked = permissionsCheckedAt;
    boolean justAsked = checked != null && checked.isAfter(Instant.now().minusSeconds(10));
    if (missingPermissions.isEmpty() && !justAsked) {
      checkPermissionsIn(Duration.ofSeconds(1));
    }
  }

  /** Schedules one permission check, unless one is already due. */
  private void checkPermissionsIn(Duration delay) {
    if (permissionCheckDue.compareAndSet(false, true)) {
      try {
        nodeWork.schedule(
            () -> {
              permissionCheckDue.set(false);
              checkPermissionsIfOwner();
            },
            delay);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        permissionCheckDue.set(false);
      }
    }
  }

  private void checkPermissionsIfOwner() {
    if (leading.get()) {
      checkPermissions();
    }
  }

  /**
   * Asks the API server which required permissions the engine lacks; a change is logged and told by
   * an Event on the node. The engine keeps running either way: what lacks a permission fails and is
   * retried, everything else goes on (no crash loop, no NotReady that would get pods evicted).
   */
  private void checkPermissions() {
    List<Permissions.Permission> missing;
    try {
      missing = Permissions.missing(client);
      permissionsCheckedAt = Instant.now();
    } catch (RuntimeException e) {
      LOG.debug("permissions of {} not checked: {}", node.nodeName(), e.toString());
      return;
    }
    if (!missing.isEmpty()) {
      // while something is missing, look again often: a grant shows within this
      checkPermissionsIn(RECHECK_WHILE_MISSING);
    }
    if (missing.equals(missingPermissions)) {
      return;
    }
    missingPermissions = missing;
    missingPermissionsSince = missing.isEmpty() ? null : Instant.now();
    if (missing.isEmpty()) {
      LOG.info("virtual node {} has every permission it needs again", node.nodeName());
      node.event("Normal", "PermissionsGranted", "The virtual node has every permission it needs");
    } else {
      String problem = permissionsProblem().orElseThrow();
      LOG.warn("virtual node {}: {}", node.nodeName(), problem);
      node.event("Warning", "MissingPermissions", problem);
    }
  }

  /**
   * The node's pods as the engine last saw them, with the instance each runs as, plus those deleted
   * in the last {@link PodController#DELETED_KEPT}: what a host records in its pod ledger.
   */
  public List<PodController.PodRecord> pods() {
    return pods.podRecords();
  }

  /**
   * The node is Ready while ECI answers; unreachable ECI or refused credentials make it NotReady
   * with the reason, so {@code kubectl get no} and {@code describe} explain why pods do not start.
   */
  private void eciHealth(Optional<EciException> failure) {
    if (!leading.get()) {
      return;
    }
    if (failure.isEmpty()) {
      if (!eciHealthy) {
        eciHealthy = true;
        node.report(true, "VirtualNodeReady", "ECI answers again");
      }
      return;
    }
    EciException e = failure.get();
    lastError = e.getMessage();
    lastErrorAt = Instant.now();
    String reason =
        switch (e.kind()) {
          case AUTHENTICATION -> "EciCredentialsRejected";
          case TRANSIENT -> "EciUnreachable";
          default -> null;
        };
    if (reason != null && eciHealthy) {
      eciHealthy = false;
      node.report(false, reason, e.getMessage());
    }
  }

  /**
   * The cluster's admission handler: steers selected pods to this node, with the cluster's
   * namespaces and eci-profile as they are now. A namespace that cannot be read counts as
   * unlabelled (the binder still takes its pods if they are selected).
   */
  public AdmissionHandler admission() {
    return new AdmissionHandler(
        namespace -> {
          try {
            var ns = client.namespaces().withName(namespace).get();
            return ns == null || ns.getMetadata().getLabels() == null
                ? Map.of()
                : ns.getMetadata().getLabels();
          } catch (RuntimeException e) {
            return Map.of();
          }
        },
        profile);
  }

  /**
   * Tells {@code listener} how long each instance this engine creates took, from the pod's first
   * sighting on the node to ECI's answer; for a host's create-latency histogram. It must return
   * quickly.
   */
  public void onInstanceCreated(java.util.function.Consumer<Duration> listener) {
    pods.onInstanceCreated(listener);
  }

  /** Whether this engine currently owns the cluster and acts for it. */
  public boolean isOwner() {
    return leading.get();
  }

  /**
   * While it owns the cluster, renews the node's Lease; while it does not, checks that the API
   * server answers at all. Either way a failure is kept as the last API error, so a host can tell
   * "another engine owns this cluster" from "its API server cannot be reached".
   */
  private void renewLease() {
    try {
      if (leading.get()) {
        node.renewLease();
      } else {
        client.leases().inNamespace(OWNERSHIP_NAMESPACE).withName(OWNERSHIP_LEASE).get();
      }
      lastApiError = null;
      lastApiErrorAt = null;
    } catch (RuntimeException e) {
      lastApiError = "API server " + client.getMasterUrl() + " not reachable: " + e.getMessage();
      lastApiErrorAt = Instant.now();
      LOG.warn("cluster API server not reachable for node {}: {}", node.nodeName(), e.toString());
    }
  }

  public String nodeName() {
    return node.nodeName();
  }

  /**
   * Gives up the ownership Lease if this engine still holds it, as client-go's release on cancel
   * does: no holder, one-second duration. fabric8's elector tries the same on cancel but gives up
   * without a word when its update conflicts with its own last renewal, which leaves the next owner
   * waiting out the whole Lease; so it is done here, on the Lease's current version, retried once.
   */
  private void releaseOwnership() {
    var leases = client.leases().inNamespace(OWNERSHIP_NAMESPACE);
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Lease current = leases.withName(OWNERSHIP_LEASE).get();
        if (current == null
            || current.getSpec() == null
            || !options.identity().equals(current.getSpec().getHolderIdentity())) {
          return;
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        current.getSpec().setHolderIdentity("");
        current.getSpec().setLeaseDurationSeconds(1);
        current.getSpec().setAcquireTime(now);
        current.getSpec().setRenewTime(now);
        leases.resource(current).update();
        LOG.info("{} released the ownership of {}", options.identity(), node.nodeName());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          LOG.warn(
              "{} could not release the ownership of {} (it expires instead): {}",
              options.identity(),
              node.nodeName(),
              e.toString());
          return;
        }
      }
    }
  }

  /**
   * Closes for good and leaves the node NotReady with {@code reason} and {@code message}: for a
   * cluster whose owner stopped this virtual node (paused it, or handed it to another controller),
   * so {@code kubectl describe node} says why its pods are no longer followed. Writes stop first,
   * and the report goes out while the engine still holds the ownership Lease (released by the
   * close), so it can never overwrite a newer owner's Ready. Pods and instances are left as they
   * are. A report the API server refuses is logged; the close happens either way.
   */
  public void closeNotReady(String reason, String message) {
    boolean owned = leading.getAndSet(false);
    terms.incrementAndGet();
    if (owned) {
      try {
        node.report(false, reason, message);
      } catch (RuntimeException e) {
        LOG.warn("node {} could not be marked NotReady ({}): {}", nodeName(), reason, e.toString());
      }
    }
    shutDown(owned);
  }

  /**
   * Stops every controller; an owner gives up the ownership Lease so the next one need not wait.
   */
  @Override
  public void close() {
    shutDown(leading.getAndSet(false));
  }

  private void shutDown(boolean owned) {
    closed.set(true);
    leading.set(false);
    if (election != null) {
      election.cancel(true);
    }
    if (owned) {
      releaseOwnership();
    }
    binder.close();
    pods.close();
    profile.close();
    nodeWork.close();
    bindings.close();
    if (threads != null) {
      threads.close();
    }
  }
}
