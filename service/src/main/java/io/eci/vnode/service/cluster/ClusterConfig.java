package io.eci.vnode.service.cluster;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/**
 * The desired ECI configuration of a cluster's virtual node; the AccessKey secret only as
 * ciphertext.
 */
@Entity
@Table(name = "cluster_configs")
public class ClusterConfig {

  @Id
  @Column(name = "cluster_id")
  public UUID clusterId;

  @TenantId
  @Column(name = "tenant_id")
  public String tenantId;

  /** Comma-separated, in order of preference; ids never contain commas. */
  @Column(name = "vswitch_ids")
  public String vSwitchIds;

  @Column(name = "security_group_id")
  public String securityGroupId;

  @Column(name = "kube_proxy")
  public boolean kubeProxy;

  @Column(name = "eci_credential_type")
  public String eciCredentialType;

  @Column(name = "access_key_id")
  public String accessKeyId;

  @Column(name = "access_key_secret_key_id")
  public String accessKeySecretKeyId;

  @Column(name = "access_key_secret_ciphertext")
  public byte[] accessKeySecretCiphertext;

  @Column(name = "ram_role_arn")
  public String ramRoleArn;

  /** The context the AccessKey secret is sealed under, binding it to this row. */
  public static String accessKeySecretContext(UUID clusterId) {
    return "cluster/" + clusterId + "/access-key-secret";
  }
}
