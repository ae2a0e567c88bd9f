package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.service.claims.Claim;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * An engine this replica runs for a claim, with the client it owns (closed when the engine stops).
 *
 * @param claim the tenure the engine acts under; its epoch fences every write for the cluster
 * @param cluster the registration the engine was started with
 * @param client the cluster's API server client
 * @param engine the cluster's virtual node
 */
record HostedEngine(
    Claim claim, HostedCluster cluster, KubernetesClient client, VirtualNode engine) {}
