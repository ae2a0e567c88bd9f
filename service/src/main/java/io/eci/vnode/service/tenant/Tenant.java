package io.eci.vnode.service.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A customer of the service; owns clusters and API tokens. */
@Entity
@Table(name = "tenants")
public class Tenant {

  @Id public String id;

  @Column(nullable = false, unique = true)
  public String name;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
