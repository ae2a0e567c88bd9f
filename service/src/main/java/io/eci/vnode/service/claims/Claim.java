package io.eci.vnode.service.claims;

import java.util.UUID;

/**
 * A replica's claim on a managed cluster. The epoch names this tenure of the claim: every claim
 * bumps it, so a writer that presents an older one has lost the cluster.
 *
 * @param clusterId the claimed cluster
 * @param tenantId the tenant that owns it
 * @param epoch the fencing epoch to present with every write for this cluster
 */
public record Claim(UUID clusterId, String tenantId, long epoch) {}
