package io.eci.vnode.service.clusterstate;

import java.util.Set;
import java.util.UUID;

/**
 * What a fenced batch write did.
 *
 * @param rows rows inserted or changed (a ledger row equal to the stored one is not rewritten)
 * @param fenced clusters whose rows were dropped because their epoch is no longer current: the
 *     writer lost them and must stop acting for them
 */
public record Written(int rows, Set<UUID> fenced) {}
