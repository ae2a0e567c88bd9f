package io.eci.vnode.service.clusterstate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.TenantId;

/**
 * A row of the pod ledger as its tenant reads it. Read-only here: only {@link ClusterStateStore}
 * writes it, fenced by the claim epoch.
 */
@Entity
@Immutable
@IdClass(ClusterPod.Key.class)
@Table(name = "cluster_pods")
public class ClusterPod {

  @Id
  @Column(name = "cluster_id")
  public UUID clusterId;

  @Id
  @Column(name = "pod_uid")
  public String podUid;

  @TenantId
  @Column(name = "tenant_id")
  public String tenantId;

  public String namespace;
  public String name;

  @Column(name = "instance_id")
  public String instanceId;

  public String zone;
  public String phase;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "deleted_at")
  public Instant deletedAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** A ledger row's identity: a pod UID counts only within its cluster. */
  public static class Key implements Serializable {
    public UUID clusterId;
    public String podUid;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(clusterId, k.clusterId)
          && Objects.equals(podUid, k.podUid);
    }

    @Override
    public int hashCode() {
      return Objects.hash(clusterId, podUid);
    }
  }
}
