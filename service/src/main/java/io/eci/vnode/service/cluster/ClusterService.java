package io.eci.vnode.service.cluster;

import io.eci.vnode.service.access.Caller;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The registry of a tenant's clusters. Knows nothing of HTTP; every read and write is scoped to the
 * calling tenant by the persistence layer, so another tenant's cluster is simply not found.
 */
@ApplicationScoped
@Transactional
public class ClusterService {

  private static final String UNIQUE_NAME = "clusters_name_unique_per_tenant";
  private static final String ONE_REGISTRATION_PER_CLUSTER =
      "clusters_one_registration_per_cluster";

  private final ClusterRepository clusters;
  private final ClusterConfigRepository configs;
  private final ClusterWriter writer;
  private final AuditLog audit;
  private final Caller caller;
  private final Drain drain;
  private final RegistrationRemoval removal;
  private final ClustersConfig config;
  private final RegistrationGate gate;
  private final ModeSwitches modeSwitches;

  ClusterService(
      ClusterRepository clusters,
      ClusterConfigRepository configs,
      ClusterWriter writer,
      AuditLog audit,
      Caller caller,
      Drain drain,
      RegistrationRemoval removal,
      ClustersConfig config,
      RegistrationGate gate,
      ModeSwitches modeSwitches) {
    this.modeSwitches = modeSwitches;
    this.removal = removal;
    this.clusters = clusters;
    this.configs = configs;
    this.writer = writer;
    this.audit = audit;
    this.caller = caller;
    this.drain = drain;
    this.config = config;
    this.gate = gate;
  }

  /** One page of clusters and the token of the next page, if there is one. */
  public record Page(List<ClusterView> items, String nextPageToken) {}

  /**
   * Registers a cluster for the calling tenant. Inserting the {@code clusters} row also makes its
   * claim row: the database trigger {@code clusters_claim_row} (see {@code ClaimStore}) inserts it,
   * claimable by a hosting replica when the cluster is managed and not paused, in this transaction.
   *
   * @param validate whether the {@link RegistrationChecks} must pass first; without them the
   *     cluster's identity is not known, so a second registration of it is not refused
   */
  public ClusterView register(ClusterSpec spec, boolean validate) {
    ClusterDraft draft = validator().registration(spec);
    requireFreeName(draft.name());
    // The checks hold this transaction's connection for as long as they take (bounded by
    // vnode.clusters.checks.timeout); registrations are rare enough for that.
    CheckOutcome outcome =
        validate
            ? gate.admit(caller.tenantId().orElseThrow(), draft, null, null)
            : CheckOutcome.skipped();
    Instant now = Instant.now();
    Cluster cluster = new Cluster();
    cluster.id = UUID.randomUUID();
    cluster.createdAt = now;
    cluster.updatedAt = now;
    ClusterConfig config = new ClusterConfig();
    config.clusterId = cluster.id;
    writer.write(draft, cluster, config);
    outcome.applyTo(cluster, config);
    clusters.persist(cluster);
    configs.persist(config);
    flushOrConflict(draft.name());
    record(
        "cluster.registered",
        cluster,
        Map.of(
            "name",
            cluster.name,
            "region",
            cluster.region,
            "mode",
            cluster.mode,
            "validation",
            cluster.validation));
    return ClusterView.of(cluster, config);
  }

  /** A page of the tenant's clusters, optionally filtered by part of the name and by mode. */
  public Page list(String nameContains, String mode, String afterName, int limit) {
    List<Cluster> page = clusters.page(nameContains, mode, afterName, limit + 1);
    boolean more = page.size() > limit;
    List<Cluster> items = more ? page.subList(0, limit) : page;
    Map<UUID, ClusterConfig> byCluster = configs.byCluster(items.stream().map(c -> c.id).toList());
    return new Page(
        items.stream().map(c -> ClusterView.of(c, byCluster.get(c.id))).toList(),
        more ? items.get(items.size() - 1).name : null);
  }

  /** The tenant's cluster with this id. */
  public Optional<ClusterView> get(UUID id) {
    return clusters
        .findByIdOptional(id)
        .map(c -> ClusterView.of(c, configs.findByIdOptional(id).orElseThrow()));
  }

  /**
   * Applies a change to the tenant's cluster if it is still at {@code expectedVersion}.
   *
   * @param validate whether a change of the API server or ECI settings must pass the {@link
   *     RegistrationChecks} first (all of them, on the cluster as it would be stored)
   * @param force whether a switch to unmanaged goes ahead though no agent was heard from lately
   * @return the changed cluster, or empty if the tenant has no cluster with this id
   */
  public Optional<ClusterView> change(
      UUID id, long expectedVersion, ClusterSpec change, boolean validate, boolean force) {
    Optional<Cluster> found = clusters.findByIdOptional(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Cluster cluster = found.get();
    if (cluster.deregisteringSince != null) {
      // The drain is deleting what this registration created; a change now would race it.
      throw ApiProblem.deregistering(id, cluster.deregisteringSince);
    }
    List<String> fields = change == null ? List.of() : ChangedFields.of(change);
    if (fields.isEmpty()) {
      // Nothing to apply: no new version and no audit entry for a change that changes nothing.
      throw ApiProblem.invalid("body", "names no field to change; send at least one field");
    }
    if (cluster.version != expectedVersion) {
      throw ApiProblem.versionMismatch(expectedVersion, cluster.version);
    }
    ClusterConfig config = configs.findByIdOptional(id).orElseThrow();
    ClusterDraft draft = validator().change(ClusterDraft.stored(cluster, config), change);
    if (!draft.name().equals(cluster.name)) {
      requireFreeName(draft.name());
    }
    Mode from = Mode.fromWire(cluster.mode).orElseThrow();
    if (draft.mode() != from) {
      modeSwitches.switching(
          caller.tenantId().orElseThrow(), id, from, draft.mode(), force, caller.actor());
    }
    boolean checked = RegistrationGate.checks(fields);
    CheckOutcome outcome =
        checked && validate
            ? gate.admit(caller.tenantId().orElseThrow(), draft, cluster, config)
            : null;
    writer.write(draft, cluster, config);
    if (outcome != null) {
      outcome.applyTo(cluster, config);
    } else if (checked) {
      CheckOutcome.forgetChanged(fields, cluster, config);
    }
    cluster.updatedAt = Instant.now();
    flushOrConflict(draft.name());
    record(
        "cluster.updated",
        cluster,
        checked
            ? Map.of("fields", fields, "validation", cluster.validation)
            : Map.of("fields", fields));
    return Optional.of(ClusterView.of(cluster, config));
  }

  /**
   * Deregisters the tenant's cluster, if it is still at {@code expectedVersion} when one is given.
   * Normally it only marks the cluster deregistering: the {@link Drain} deletes its instances, node
   * and record in the background. Forced, it does all that at once, whatever ECI answers.
   *
   * @param keepPods refuse, listing the pods, rather than delete instances that still run
   * @param force deregister at once, leaving (and listing) the instances ECI does not delete
   * @return what was done, or empty if the tenant has no cluster with this id
   */
  @Transactional(TxType.NOT_SUPPORTED)
  public Optional<DeregistrationView> deregister(
      UUID id, Long expectedVersion, boolean keepPods, boolean force) {
    if (force && keepPods) {
      throw ApiProblem.invalid("keepPods", "cannot be combined with force=true");
    }
    Optional<ClusterView> found = get(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    long version = found.get().version();
    if (expectedVersion != null && version != expectedVersion) {
      throw ApiProblem.versionMismatch(expectedVersion, version);
    }
    String tenantId = caller.tenantId().orElseThrow();
    if (force) {
      return Optional.of(DeregistrationView.forced(id, drain.force(tenantId, id, caller.actor())));
    }
    if (keepPods) {
      drain.refuseWhilePodsRun(tenantId, id);
    }
    Instant since = drain.begin(id, caller.actor(), keepPods);
    if (since == null) {
      return Optional.empty();
    }
    removal.requested(id, tenantId, caller.actor(), keepPods);
    return Optional.of(DeregistrationView.deregistering(id, since));
  }

  private ClusterValidator validator() {
    return new ClusterValidator(config.allowPlainHttpLoopback());
  }

  private void requireFreeName(String name) {
    if (clusters.findByName(name).isPresent()) {
      throw ApiProblem.conflict("name", "A cluster named '" + name + "' is already registered");
    }
  }

  /**
   * Surfaces a name taken by a concurrent registration as the same 409 as the check above, and a
   * cluster registered already, by any tenant, as a 409 that does not say by whom.
   */
  private void flushOrConflict(String name) {
    try {
      clusters.flush();
    } catch (ConstraintViolationException e) {
      if (UNIQUE_NAME.equals(e.getConstraintName())) {
        throw ApiProblem.conflict("name", "A cluster named '" + name + "' is already registered");
      }
      if (ONE_REGISTRATION_PER_CLUSTER.equals(e.getConstraintName())) {
        throw ApiProblem.conflict(
            "apiServer",
            "This cluster is registered already (its kube-system namespace has the same uid): a"
                + " cluster can have one registration at a time, or two virtual nodes would fight"
                + " over its pods. Deregister the other registration first.");
      }
      throw e;
    }
  }

  private void record(String action, Cluster cluster, Map<String, ?> details) {
    audit.record(
        caller.tenantId().orElseThrow(),
        caller.actor(),
        action,
        "cluster",
        cluster.id.toString(),
        details);
  }
}
