package io.eci.vnode.service.agent;

import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.service.access.AgentCredentials.AgentToken;
import io.eci.vnode.service.claims.StoreException;
import io.eci.vnode.service.hosting.ClusterConnections;
import io.eci.vnode.service.hosting.HostedCluster;
import io.eci.vnode.service.hosting.HostedClusters;
import io.eci.vnode.service.hosting.HostingConfig;
import io.eci.vnode.service.hosting.TemporaryCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Builds what an agent runs with from its cluster's registration, outside any request (a long poll
 * completes on another thread): the registration is read by the tenant the token is of, with its
 * secrets opened.
 */
@ApplicationScoped
class AgentConfigs {

  /** A configuration and the ETag that names it. */
  record Versioned(AgentConfigView config, String etag) {}

  private record Mode(String mode, boolean paused) {}

  private static final String MODE =
      "SELECT mode, paused FROM clusters WHERE id = ? AND tenant_id = ?";

  private final HostedClusters clusters;
  private final ClusterConnections connections;
  private final HostingConfig hosting;
  private final AgentApiConfig agents;
  private final DataSource db;

  AgentConfigs(
      HostedClusters clusters,
      ClusterConnections connections,
      HostingConfig hosting,
      AgentApiConfig agents,
      DataSource db) {
    this.clusters = clusters;
    this.connections = connections;
    this.hosting = hosting;
    this.agents = agents;
    this.db = db;
  }

  /**
   * The agent's configuration now, or empty once its cluster is no longer registered.
   *
   * @throws IllegalStateException when the cluster's RAM role cannot be assumed for it
   */
  Optional<Versioned> of(AgentToken agent) {
    Optional<HostedCluster> found = clusters.load(agent.tenantId(), agent.clusterId());
    Optional<Mode> mode = mode(agent);
    if (found.isEmpty() || mode.isEmpty()) {
      return Optional.empty();
    }
    HostedCluster cluster = found.get();
    AgentConfigView.Credentials credentials;
    String etag;
    if (cluster.eciCredentials() instanceof EciCredentials.AccessKey key) {
      credentials =
          new AgentConfigView.Credentials("accessKey", key.id(), key.secret(), null, null);
      etag = "\"" + cluster.version() + "\"";
    } else {
      TemporaryCredentials sts = connections.temporaryCredentials(cluster);
      credentials =
          new AgentConfigView.Credentials(
              "sts",
              sts.accessKeyId(),
              sts.accessKeySecret(),
              sts.securityToken(),
              sts.expiresAt());
      // New temporary credentials are a new configuration: the agent's next poll gets them.
      etag = "\"" + cluster.version() + "-" + sts.expiresAt().getEpochSecond() + "\"";
    }
    AgentConfigView config =
        new AgentConfigView(
            cluster.id(),
            cluster.version(),
            mode.get().mode(),
            mode.get().paused(),
            cluster.region(),
            cluster.vSwitchIds(),
            cluster.securityGroupId(),
            cluster.kubeProxy(),
            new AgentConfigView.Eci(credentials),
            hosting.statusPeriod().toMillis(),
            agents.heartbeatPeriod().toSeconds());
    return Optional.of(new Versioned(config, etag));
  }

  private Optional<Mode> mode(AgentToken agent) {
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement(MODE)) {
      q.setObject(1, agent.clusterId());
      q.setString(2, agent.tenantId());
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? Optional.of(new Mode(r.getString(1), r.getBoolean(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("could not read the mode of cluster " + agent.clusterId(), e);
    }
  }
}
