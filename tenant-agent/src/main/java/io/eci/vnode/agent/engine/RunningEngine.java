package io.eci.vnode.agent.engine;

import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.node.LeaseHolder;

/**
 * The engine the agent runs, with what it was built from.
 *
 * @param config the configuration it started under
 * @param holder who it is in the ownership Lease
 */
public record RunningEngine(
    VirtualNode node, RemoteConfig config, LeaseHolder holder, SwappableCredentials credentials) {}
