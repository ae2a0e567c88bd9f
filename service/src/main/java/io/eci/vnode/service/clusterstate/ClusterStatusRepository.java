package io.eci.vnode.service.clusterstate;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Statuses of the current tenant's clusters; Hibernate's tenant filter scopes every query. */
@ApplicationScoped
public class ClusterStatusRepository implements PanacheRepositoryBase<ClusterStatus, UUID> {}
