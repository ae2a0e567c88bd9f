package io.eci.vnode.agent.drain;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.node.OutageLog;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Deletes every ECI instance tagged with the cluster ({@link InstanceTags#CLUSTER}, what the engine
 * tags them with; never another's) and waits until ECI lists none. Each instance is deleted once: a
 * deleted one lists as Running for a moment before Terminating.
 */
final class InstanceDrain {

  private static final Duration READ_EVERY = Duration.ofSeconds(1);

  private final ContainerInstances eci;
  private final String clusterId;
  private final PrintStream out;
  private final Set<String> asked = new HashSet<>();

  InstanceDrain(ContainerInstances eci, String clusterId, PrintStream out) {
    this.eci = eci;
    this.clusterId = clusterId;
    this.out = out;
  }

  /**
   * Deletes them all; returns the ids still listed at {@code deadline} (empty: none is left), or
   * when ECI could not list them at the end, those it was asked to delete.
   */
  List<String> deleteAll(Instant deadline) {
    while (true) {
      Optional<List<Instance>> listed = list();
      if (listed.isPresent() && listed.get().isEmpty()) {
        return List.of();
      }
      listed.ifPresent(instances -> instances.forEach(this::delete));
      if (!Instant.now().isBefore(deadline)) {
        return listed
            .map(instances -> instances.stream().map(Instance::id).toList())
            .orElseGet(this::unconfirmed);
      }
      listed.ifPresent(
          instances ->
              out.println(
                  "drain: " + instances.size() + " ECI instances of the cluster are stopping"));
      LockSupport.parkNanos(READ_EVERY.toNanos());
    }
  }

  private Optional<List<Instance>> list() {
    try {
      return Optional.of(eci.describeByTag(InstanceTags.CLUSTER, clusterId));
    } catch (EciException e) {
      out.println("drain: ECI cannot list the instances: " + OutageLog.describe(e));
      return Optional.empty();
    }
  }

  private List<String> unconfirmed() {
    return asked.isEmpty()
        ? List.of("(unknown: ECI could not list the cluster's instances)")
        : List.copyOf(asked);
  }

  private void delete(Instance instance) {
    if (asked.contains(instance.id()) || "Terminating".equals(instance.rawStatus())) {
      return;
    }
    try {
      eci.delete(instance.id());
      asked.add(instance.id());
      out.println(
          "drain: deleted instance "
              + instance.id()
              + " of pod "
              + instance.tags().getOrDefault(InstanceTags.NAMESPACE, "?")
              + "/"
              + instance.tags().getOrDefault(InstanceTags.POD_NAME, "?"));
    } catch (EciException e) {
      out.println("drain: instance " + instance.id() + " not deleted: " + OutageLog.describe(e));
    }
  }
}
