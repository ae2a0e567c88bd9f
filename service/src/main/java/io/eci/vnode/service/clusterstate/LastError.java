package io.eci.vnode.service.clusterstate;

import java.time.Instant;

/**
 * The most recent failure of one kind, as shown to the cluster's owner.
 *
 * @param message what failed, in words the owner can act on
 * @param at when it happened
 */
public record LastError(String message, Instant at) {}
