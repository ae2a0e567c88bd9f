package io.eci.vnode.service.hosting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.service.claims.StoreException;
import io.eci.vnode.service.cluster.Cluster;
import io.eci.vnode.service.cluster.ClusterConfig;
import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import io.eci.vnode.service.secrets.SealedSecret;
import io.eci.vnode.service.secrets.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.hibernate.SessionFactory;

/**
 * Reads registered clusters for the host, which acts for whoever claimed them. A cluster is loaded
 * through the registry's own entities, in a session of the tenant that owns it (the claim names
 * it), so the rows are decoded in one place and the tenant filter still applies.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class HostedClusters {

  private static final String VERSIONS = "SELECT id, version FROM clusters WHERE id = ANY (?)";

  private final SessionFactory sessions;
  private final DataSource database;
  private final SecretBox secrets;
  private final ObjectMapper json;

  HostedClusters(
      SessionFactory sessions, DataSource database, SecretBox secrets, ObjectMapper json) {
    this.sessions = sessions;
    this.database = database;
    this.secrets = secrets;
    this.json = json;
  }

  /** The tenant's cluster with its secrets opened, or empty if it is no longer registered. */
  public Optional<HostedCluster> load(String tenantId, UUID id) {
    try (Session session = sessions.withOptions().tenantIdentifier(tenantId).openSession()) {
      session.setDefaultReadOnly(true);
      Cluster cluster = session.find(Cluster.class, id);
      ClusterConfig config = cluster == null ? null : session.find(ClusterConfig.class, id);
      return config == null ? Optional.empty() : Optional.of(opened(cluster, config));
    }
  }

  /**
   * The current version of each of these clusters still registered, of whichever tenant: one
   * statement.
   */
  public Map<UUID, Long> versions(Collection<UUID> ids) {
    Map<UUID, Long> versions = new HashMap<>();
    if (ids.isEmpty()) {
      return versions;
    }
    try (Connection c = database.getConnection();
        PreparedStatement q = c.prepareStatement(VERSIONS)) {
      q.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          versions.put(r.getObject(1, UUID.class), r.getLong(2));
        }
      }
      return versions;
    } catch (SQLException e) {
      throw new StoreException("could not read cluster versions", e);
    }
  }

  private HostedCluster opened(Cluster cluster, ClusterConfig config) {
    String apiJson =
        secrets.open(
            new SealedSecret(cluster.apiCredentialKeyId, cluster.apiCredentialCiphertext),
            Cluster.apiCredentialsContext(cluster.id));
    ApiCredentialsSpec api;
    try {
      api = json.readValue(apiJson, ApiCredentialsSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored API credentials of cluster " + cluster.id + " are unreadable");
    }
    EciCredentials eci =
        config.usesRamRole()
            ? new EciCredentials.RamRole(config.ramRoleArn)
            : new EciCredentials.AccessKey(
                config.accessKeyId,
                secrets.open(
                    new SealedSecret(config.accessKeySecretKeyId, config.accessKeySecretCiphertext),
                    ClusterConfig.accessKeySecretContext(cluster.id)));
    return new HostedCluster(
        cluster.id,
        cluster.tenantId,
        cluster.name,
        cluster.region,
        cluster.apiServerUrl,
        cluster.apiServerCa,
        api,
        config.vSwitches(),
        config.securityGroupId,
        config.kubeProxy,
        eci,
        cluster.version);
  }
}
