package io.eci.vnode.service.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.service.access.Caller;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.audit.AuditLog;
import io.eci.vnode.service.cluster.ClusterDraft.ApiServer;
import io.eci.vnode.service.cluster.ClusterDraft.Eci;
import io.eci.vnode.service.secrets.SealedSecret;
import io.eci.vnode.service.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;
import java.util.ArrayList;
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

  private final ClusterRepository clusters;
  private final ClusterConfigRepository configs;
  private final SecretBox secrets;
  private final AuditLog audit;
  private final Caller caller;
  private final ObjectMapper json;
  private final Drain drain;
  private final RegistrationRemoval removal;
  private final ClustersConfig config;

  ClusterService(
      ClusterRepository clusters,
      ClusterConfigRepository configs,
      SecretBox secrets,
      AuditLog audit,
      Caller caller,
      ObjectMapper json,
      Drain drain,
      RegistrationRemoval removal,
      ClustersConfig config) {
    this.removal = removal;
    this.clusters = clusters;
    this.configs = configs;
    this.secrets = secrets;
    this.audit = audit;
    this.caller = caller;
    this.json = json;
    this.drain = drain;
    this.config = config;
  }

  /** One page of clusters and the token of the next page, if there is one. */
  public record Page(List<ClusterView> items, String nextPageToken) {}

  /**
   * Registers a cluster for the calling tenant. Inserting the {@code clusters} row also makes its
   * claim row: the database trigger {@code clusters_claim_row} (see {@code ClaimStore}) inserts it,
   * claimable by a hosting replica when the cluster is managed and not paused, in this transaction.
   */
  public ClusterView register(ClusterSpec spec) {
    ClusterDraft draft = validator().registration(spec);
    requireFreeName(draft.name());
    Instant now = Instant.now();
    Cluster cluster = new Cluster();
    cluster.id = UUID.randomUUID();
    cluster.createdAt = now;
    cluster.updatedAt = now;
    ClusterConfig config = new ClusterConfig();
    config.clusterId = cluster.id;
    apply(draft, cluster, config);
    clusters.persist(cluster);
    configs.persist(config);
    flushOrConflict(draft.name());
    record(
        "cluster.registered",
        cluster,
        Map.of("name", cluster.name, "region", cluster.region, "mode", cluster.mode));
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
   * @return the changed cluster, or empty if the tenant has no cluster with this id
   */
  public Optional<ClusterView> change(UUID id, long expectedVersion, ClusterSpec change) {
    Optional<Cluster> found = clusters.findByIdOptional(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Cluster cluster = found.get();
    List<String> fields = change == null ? List.of() : changedFields(change);
    if (fields.isEmpty()) {
      // Nothing to apply: no new version and no audit entry for a change that changes nothing.
      throw ApiProblem.invalid("body", "names no field to change; send at least one field");
    }
    if (cluster.version != expectedVersion) {
      throw ApiProblem.versionMismatch(expectedVersion, cluster.version);
    }
    ClusterConfig config = configs.findByIdOptional(id).orElseThrow();
    ClusterDraft draft = validator().change(stored(cluster, config), change);
    if (!draft.name().equals(cluster.name)) {
      requireFreeName(draft.name());
    }
    apply(draft, cluster, config);
    cluster.updatedAt = Instant.now();
    flushOrConflict(draft.name());
    record("cluster.updated", cluster, Map.of("fields", fields));
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

  private void apply(ClusterDraft draft, Cluster cluster, ClusterConfig config) {
    cluster.name = draft.name();
    cluster.region = draft.region();
    cluster.mode = draft.mode().wire();
    cluster.paused = draft.paused();
    ApiServer api = draft.apiServer();
    cluster.apiServerUrl = api.url();
    cluster.apiServerCa = api.caBundle();
    cluster.apiCredentialType = api.credentialType();
    if (api.newCredentials() != null) {
      SealedSecret sealed =
          secrets.seal(toJson(api.newCredentials()), Cluster.apiCredentialsContext(cluster.id));
      cluster.apiCredentialKeyId = sealed.keyId();
      cluster.apiCredentialCiphertext = sealed.ciphertext();
    }
    Eci eci = draft.eci();
    config.vSwitches(eci.vSwitchIds());
    config.securityGroupId = eci.securityGroupId();
    config.kubeProxy = eci.kubeProxy();
    config.eciCredentialType = eci.credentialType();
    config.accessKeyId = eci.accessKeyId();
    config.ramRoleArn = eci.ramRoleArn();
    if (ClusterConfig.RAM_ROLE.equals(eci.credentialType())) {
      config.accessKeySecretKeyId = null;
      config.accessKeySecretCiphertext = null;
    } else if (eci.newAccessKeySecret() != null) {
      SealedSecret sealed =
          secrets.seal(eci.newAccessKeySecret(), ClusterConfig.accessKeySecretContext(cluster.id));
      config.accessKeySecretKeyId = sealed.keyId();
      config.accessKeySecretCiphertext = sealed.ciphertext();
    }
  }

  private static ClusterDraft stored(Cluster c, ClusterConfig config) {
    return new ClusterDraft(
        c.name,
        c.region,
        Mode.fromWire(c.mode).orElseThrow(),
        c.paused,
        new ApiServer(c.apiServerUrl, c.apiServerCa, c.apiCredentialType, null),
        new Eci(
            config.vSwitches(),
            config.securityGroupId,
            config.kubeProxy,
            config.eciCredentialType,
            config.accessKeyId,
            null,
            config.ramRoleArn));
  }

  private ClusterValidator validator() {
    return new ClusterValidator(config.allowPlainHttpLoopback());
  }

  private static List<String> changedFields(ClusterSpec change) {
    List<String> fields = new ArrayList<>();
    addIf(fields, change.name(), "name");
    // Refused by the validator (a region is fixed), but it is a field the caller did send.
    addIf(fields, change.region(), "region");
    addIf(fields, change.mode(), "mode");
    addIf(fields, change.paused(), "paused");
    if (change.apiServer() != null) {
      addIf(fields, change.apiServer().url(), "apiServer.url");
      addIf(fields, change.apiServer().caBundle(), "apiServer.caBundle");
      addIf(fields, change.apiServer().credentials(), "apiServer.credentials");
    }
    if (change.eci() != null) {
      addIf(fields, change.eci().vSwitchIds(), "eci.vSwitchIds");
      addIf(fields, change.eci().securityGroupId(), "eci.securityGroupId");
      addIf(fields, change.eci().kubeProxy(), "eci.kubeProxy");
      addIf(fields, change.eci().credentials(), "eci.credentials");
    }
    return fields;
  }

  private static void addIf(List<String> fields, Object value, String field) {
    if (value != null) {
      fields.add(field);
    }
  }

  private void requireFreeName(String name) {
    if (clusters.findByName(name).isPresent()) {
      throw ApiProblem.conflict("name", "A cluster named '" + name + "' is already registered");
    }
  }

  /** Surfaces a name taken by a concurrent registration as the same 409 as the check above. */
  private void flushOrConflict(String name) {
    try {
      clusters.flush();
    } catch (ConstraintViolationException e) {
      if (UNIQUE_NAME.equals(e.getConstraintName())) {
        throw ApiProblem.conflict("name", "A cluster named '" + name + "' is already registered");
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

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("credentials could not be serialised", e);
    }
  }
}
