package io.eci.vnode.service.cluster;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** A registered cluster and how to reach its API server; credentials only as ciphertext. */
@Entity
@Table(name = "clusters")
public class Cluster {

  /** {@link #apiCredentialType}: a bearer token. */
  public static final String TOKEN = "token";

  /** {@link #apiCredentialType}: a client certificate and its key. */
  public static final String CLIENT_CERTIFICATE = "client-certificate";

  /** {@link #apiCredentialType}: a self-contained kubeconfig. */
  public static final String KUBECONFIG = "kubeconfig";

  /** {@link #validation}: the settings passed the checks against the API server and the cloud. */
  public static final String VALIDATION_PASSED = "passed";

  /** {@link #validation}: the settings were stored without the checks ({@code ?validate=false}). */
  public static final String VALIDATION_SKIPPED = "skipped";

  @Id public UUID id;

  @TenantId
  @Column(name = "tenant_id")
  public String tenantId;

  public String name;
  public String region;

  /** {@link Mode#wire()} */
  public String mode;

  /** Managed mode only: the service does not run its virtual node until this is false again. */
  public boolean paused;

  @Column(name = "api_server_url")
  public String apiServerUrl;

  @Column(name = "api_server_ca")
  public String apiServerCa;

  /** {@link #TOKEN}, {@link #CLIENT_CERTIFICATE} or {@link #KUBECONFIG}. */
  @Column(name = "api_credential_type")
  public String apiCredentialType;

  @Column(name = "api_credential_key_id")
  public String apiCredentialKeyId;

  @Column(name = "api_credential_ciphertext")
  public byte[] apiCredentialCiphertext;

  /**
   * The cluster's identity: the uid of its kube-system namespace, read when the registration was
   * checked; null when it was not. Unique over all registrations (index {@code
   * clusters_one_registration_per_cluster}).
   */
  @Column(name = "kube_system_uid")
  public String kubeSystemUid;

  /** {@link #VALIDATION_PASSED} or {@link #VALIDATION_SKIPPED}. */
  public String validation;

  /**
   * When a DELETE began its deregistration; null while it is registered. Written only by {@code
   * Deregistrations}, in SQL: the entity reads it, so a change can be refused meanwhile.
   */
  @Column(name = "deregistering_since", insertable = false, updatable = false)
  public Instant deregisteringSince;

  @Version public long version;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** The context the API credentials are sealed under, binding them to this row. */
  public static String apiCredentialsContext(UUID id) {
    return "cluster/" + id + "/api-credentials";
  }
}
