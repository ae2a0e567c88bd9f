package io.eci.vnode.sandbox.eci;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Every instance in the sandbox, indexed the ways DescribeContainerGroups asks: by id, in creation
 * order (for NextToken paging), and by tag, so that a describe by a cluster's tag reads only that
 * cluster's instances even when the region holds tens of thousands.
 */
final class ContainerGroupStore {

  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, ContainerGroup> byId = new ConcurrentHashMap<>();
  private final NavigableMap<Long, ContainerGroup> inOrder = new ConcurrentSkipListMap<>();
  private final Map<String, NavigableMap<Long, ContainerGroup>> byTag = new ConcurrentHashMap<>();
  private final Map<String, String> idByClientToken = new ConcurrentHashMap<>();

  /** Puts back instances read from a snapshot; new ones are numbered after them. */
  void restore(List<ContainerGroup> groups) {
    for (ContainerGroup g : groups) {
      add(g);
      sequence.accumulateAndGet(g.sequence, Math::max);
    }
  }

  long nextSequence() {
    return sequence.incrementAndGet();
  }

  /** The id already created for a ClientToken, if any. */
  Optional<String> idForClientToken(String clientToken) {
    return Optional.ofNullable(idByClientToken.get(clientToken));
  }

  /**
   * Stores a new instance unless its ClientToken was used meanwhile.
   *
   * @return the instance stored under the token: this one, or the one that won a race for it
   */
  ContainerGroup add(ContainerGroup group) {
    if (group.clientToken != null) {
      String existing = idByClientToken.putIfAbsent(group.clientToken, group.id);
      if (existing != null) {
        return byId.get(existing);
      }
    }
    byId.put(group.id, group);
    inOrder.put(group.sequence, group);
    group.tags.forEach(
        (k, v) ->
            byTag
                .computeIfAbsent(tag(k, v), t -> new ConcurrentSkipListMap<>())
                .put(group.sequence, group));
    return group;
  }

  Optional<ContainerGroup> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Forgets an instance that has finished terminating. */
  void remove(ContainerGroup group) {
    byId.remove(group.id);
    inOrder.remove(group.sequence);
    group.tags.forEach(
        (k, v) -> {
          var index = byTag.get(tag(k, v));
          if (index != null) {
            index.remove(group.sequence);
          }
        });
    if (group.clientToken != null) {
      idByClientToken.remove(group.clientToken, group.id);
    }
  }

  /**
   * Up to {@code limit} instances after sequence {@code after}, in creation order, carrying all the
   * given tags and passing the filter.
   */
  List<ContainerGroup> page(
      Map<String, String> tags, long after, int limit, Predicate<ContainerGroup> filter) {
    NavigableMap<Long, ContainerGroup> source = inOrder;
    for (var t : tags.entrySet()) {
      NavigableMap<Long, ContainerGroup> index = byTag.get(tag(t.getKey(), t.getValue()));
      if (index == null) {
        return List.of();
      }
      if (index.size() < source.size()) {
        source = index;
      }
    }
    List<ContainerGroup> page = new ArrayList<>();
    for (ContainerGroup g : source.tailMap(after, false).values()) {
      if (hasTags(g, tags) && filter.test(g)) {
        page.add(g);
        if (page.size() == limit) {
          break;
        }
      }
    }
    return page;
  }

  Collection<ContainerGroup> all() {
    return inOrder.values();
  }

  int size() {
    return byId.size();
  }

  private static boolean hasTags(ContainerGroup g, Map<String, String> tags) {
    for (var t : tags.entrySet()) {
      if (!t.getValue().equals(g.tags.get(t.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static String tag(String key, String value) {
    return key + "\u0000" + value;
  }
}
