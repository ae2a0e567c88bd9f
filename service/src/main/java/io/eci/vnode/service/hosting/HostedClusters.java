package io.eci.vnode.service.hosting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.engine.config.EciCredentials;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads registered clusters across tenants for the host, which acts for whoever claimed them. Plain
 * JDBC, because the tenant filter of the entities belongs to API callers, not to the host.
 */
@ApplicationScoped
@Transactional(TxType.NOT_SUPPORTED)
public class HostedClusters {

  private static final String ONE =
      """
      SELECT c.id, c.tenant_id, c.name, c.region, c.api_server_url, c.api_server_ca,
             c.api_credential_key_id, c.api_credential_ciphertext, c.version,
             g.vswitch_ids, g.security_group_id, g.kube_proxy, g.eci_credential_type,
             g.access_key_id, g.access_key_secret_key_id, g.access_key_secret_ciphertext,
             g.ram_role_arn
        FROM clusters c JOIN cluster_configs g ON g.cluster_id = c.id
       WHERE c.id = ?
      """;

  private static final String VERSIONS = "SELECT id, version FROM clusters WHERE id = ANY (?)";

  private final DataSource database;
  private final SecretBox secrets;
  private final ObjectMapper json;

  HostedClusters(DataSource database, SecretBox secrets, ObjectMapper json) {
    this.database = database;
    this.secrets = secrets;
    this.json = json;
  }

  /** The cluster with its secrets opened, or empty if it is no longer registered. */
  public Optional<HostedCluster> load(UUID id) {
    try (Connection c = database.getConnection();
        PreparedStatement q = c.prepareStatement(ONE)) {
      q.setObject(1, id);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(read(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("could not read cluster " + id, e);
    }
  }

  /** The current version of each of these clusters still registered: one statement. */
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

  private HostedCluster read(ResultSet r) throws SQLException {
    UUID id = r.getObject("id", UUID.class);
    String apiJson =
        secrets.open(
            new SealedSecret(
                r.getString("api_credential_key_id"), r.getBytes("api_credential_ciphertext")),
            Cluster.apiCredentialsContext(id));
    ApiCredentialsSpec api;
    try {
      api = json.readValue(apiJson, ApiCredentialsSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "stored API credentials of cluster " + id + " are unreadable");
    }
    EciCredentials eci =
        "ram-role".equals(r.getString("eci_credential_type"))
            ? new EciCredentials.RamRole(r.getString("ram_role_arn"))
            : new EciCredentials.AccessKey(
                r.getString("access_key_id"),
                secrets.open(
                    new SealedSecret(
                        r.getString("access_key_secret_key_id"),
                        r.getBytes("access_key_secret_ciphertext")),
                    ClusterConfig.accessKeySecretContext(id)));
    return new HostedCluster(
        id,
        r.getString("tenant_id"),
        r.getString("name"),
        r.getString("region"),
        r.getString("api_server_url"),
        r.getString("api_server_ca"),
        api,
        Arrays.asList(r.getString("vswitch_ids").split(",")),
        r.getString("security_group_id"),
        r.getBoolean("kube_proxy"),
        eci,
        r.getLong("version"));
  }
}
