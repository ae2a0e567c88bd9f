package io.eci.vnode.sandbox.eci;

import io.eci.vnode.sandbox.eci.Lifecycle.ContainerState;
import io.eci.vnode.sandbox.eci.Lifecycle.GroupState;
import java.util.Set;

/**
 * The instances as a caller sees them now: one whose deletion has run its course is gone (and
 * dropped from the store on the first look), as ECI forgets a deleted instance.
 */
final class LiveGroups {

  private final ContainerGroupStore store;
  private final Lifecycle lifecycle;
  private final SandboxClock clock;

  LiveGroups(ContainerGroupStore store, Lifecycle lifecycle, SandboxClock clock) {
    this.store = store;
    this.lifecycle = lifecycle;
    this.clock = clock;
  }

  /**
   * The instance {@code id}.
   *
   * @throws RpcError {@code InvalidContainerGroupId.NotFound} when there is none, or it is gone
   */
  ContainerGroup get(String id) {
    ContainerGroup g = store.find(id).orElseThrow(() -> RpcError.groupNotFound(id));
    if (state(g).gone()) {
      store.remove(g);
      throw RpcError.groupNotFound(id);
    }
    return g;
  }

  /** Where the instance is in its lifecycle now. */
  GroupState state(ContainerGroup g) {
    return lifecycle.at(g, clock.now());
  }

  /**
   * @throws RpcError {@code IncorrectStatus} unless the instance is in one of {@code allowed}
   */
  void requireStatus(ContainerGroup g, Set<String> allowed) {
    String status = state(g).status();
    if (!allowed.contains(status)) {
      throw RpcError.incorrectStatus(g.id, status);
    }
  }

  /**
   * The container {@code name} of the instance, now.
   *
   * @throws RpcError {@code InvalidParameter} when the instance has no such container
   */
  ContainerState container(ContainerGroup g, String name) {
    return state(g).containers().stream()
        .filter(c -> c.spec().name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                RpcError.invalidParameter("ContainerName", "no container " + name + " in " + g.id));
  }
}
