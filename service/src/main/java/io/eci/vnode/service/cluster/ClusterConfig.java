package io.eci.vnode.service.cluster;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/**
 * The desired ECI configuration of a cluster's virtual node; the AccessKey secret only as
 * ciphertext.
 */
@Entity
@Table(name = "cluster_configs")
public class ClusterConfig {

  /** {@link #eciCredentialType}: an AccessKey pair, its secret sealed. */
  public static final String ACCESS_KEY = "access-key";

  /** {@link #eciCredentialType}: a RAM role the service assumes through STS. */
  public static final String RAM_ROLE = "ram-role";

  @Id
  @Column(name = "cluster_id")
  public UUID clusterId;

  @TenantId
  @Column(name = "tenant_id")
  public String tenantId;

  /**
   * Comma-separated, in order of preference; ids never contain commas. Read and written through
   * {@link #vSwitches()} and {@link #vSwitches(List)}.
   */
  @Column(name = "vswitch_ids")
  public String vSwitchIds;

  /**
   * The zone of each vSwitch, comma-separated in the order of {@link #vSwitchIds}, as VPC answered
   * when the settings were checked; null when they were not. Read through {@link #zones()}.
   */
  @Column(name = "vswitch_zones")
  public String vSwitchZones;

  @Column(name = "security_group_id")
  public String securityGroupId;

  @Column(name = "kube_proxy")
  public boolean kubeProxy;

  /** {@link #ACCESS_KEY} or {@link #RAM_ROLE}. */
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

  /** The vSwitch ids, in order of preference. */
  public List<String> vSwitches() {
    return List.of(vSwitchIds.split(","));
  }

  /** The zone of each vSwitch in the order of {@link #vSwitches()}, or null when not known. */
  public List<String> zones() {
    return vSwitchZones == null ? null : List.of(vSwitchZones.split(","));
  }

  /** Stores the vSwitch ids, in order of preference. */
  public void vSwitches(List<String> ids) {
    vSwitchIds = String.join(",", ids);
  }

  /** Whether the virtual node calls ECI as a RAM role rather than with an AccessKey pair. */
  public boolean usesRamRole() {
    return RAM_ROLE.equals(eciCredentialType);
  }

  /** The context the AccessKey secret is sealed under, binding it to this row. */
  public static String accessKeySecretContext(UUID clusterId) {
    return "cluster/" + clusterId + "/access-key-secret";
  }
}
