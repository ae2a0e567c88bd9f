package io.eci.vnode.sandbox.eci;

import io.eci.vnode.sandbox.eci.Lifecycle.GroupState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The actions that read instances: DescribeContainerGroups and DescribeContainerGroupStatus, with
 * their filters (ids, tags, name, status, vSwitch, zone) and NextToken paging in creation order.
 */
final class ContainerGroupQueries {

  private final EciSandbox.Settings settings;
  private final ContainerGroupStore store;
  private final Lifecycle lifecycle;
  private final SandboxClock clock;

  ContainerGroupQueries(
      EciSandbox.Settings settings,
      ContainerGroupStore store,
      Lifecycle lifecycle,
      SandboxClock clock) {
    this.settings = settings;
    this.store = store;
    this.lifecycle = lifecycle;
    this.clock = clock;
  }

  Map<String, Object> describe(RpcRequest r) {
    int limit = r.integer("Limit", settings.describeLimitMax(), 1, settings.describeLimitMax());
    Instant now = clock.now();
    Predicate<ContainerGroup> filter = filter(r, now);
    Map<String, String> tags = r.tags();
    List<ContainerGroup> page;
    Optional<List<String>> ids = r.optionalStringArray("ContainerGroupIds");
    long after = nextToken(r);
    if (ids.isPresent()) {
      page =
          ids.get().stream()
              .map(store::find)
              .flatMap(Optional::stream)
              .filter(g -> g.sequence > after)
              .filter(filter)
              .sorted((a, b) -> Long.compare(a.sequence, b.sequence))
              .limit(limit + 1L)
              .toList();
    } else {
      page = store.page(tags, after, limit + 1, filter);
    }
    boolean more = page.size() > limit;
    List<ContainerGroup> items = more ? page.subList(0, limit) : page;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("NextToken", more ? Long.toString(items.get(items.size() - 1).sequence) : "");
    answer.put("TotalCount", ids.isPresent() ? page.size() : count(tags, filter));
    answer.put(
        "ContainerGroups",
        items.stream().map(g -> GroupJson.group(g, lifecycle.at(g, now))).toList());
    return answer;
  }

  Map<String, Object> status(RpcRequest r) {
    int limit = r.integer("Limit", settings.statusLimitMax(), 1, settings.statusLimitMax());
    Instant now = clock.now();
    Predicate<ContainerGroup> filter = filter(r, now);
    long after = nextToken(r);
    Optional<List<String>> ids = r.optionalStringArray("ContainerGroupIds");
    Predicate<ContainerGroup> byId = g -> ids.isEmpty() || ids.get().contains(g.id);
    List<ContainerGroup> page = store.page(r.tags(), after, limit + 1, byId.and(filter));
    boolean more = page.size() > limit;
    List<ContainerGroup> items = more ? page.subList(0, limit) : page;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("NextToken", more ? Long.toString(items.get(items.size() - 1).sequence) : "");
    answer.put("TotalCount", items.size());
    answer.put(
        "Data", items.stream().map(g -> GroupJson.podStatus(g, lifecycle.at(g, now))).toList());
    return answer;
  }

  private int count(Map<String, String> tags, Predicate<ContainerGroup> filter) {
    return store.page(tags, 0, Integer.MAX_VALUE, filter).size();
  }

  /** The request's filters; an instance found gone is dropped from the store on the way. */
  private Predicate<ContainerGroup> filter(RpcRequest r, Instant now) {
    Optional<String> name = r.optional("ContainerGroupName");
    Optional<String> status = r.optional("Status");
    Optional<String> vSwitch = r.optional("VSwitchId");
    Optional<String> zone = r.optional("ZoneId");
    return g -> {
      if (name.isPresent() && !name.get().equals(g.name)) {
        return false;
      }
      if (vSwitch.isPresent() && !vSwitch.get().equals(g.vSwitchId)) {
        return false;
      }
      if (zone.isPresent() && !zone.get().equals(g.zoneId)) {
        return false;
      }
      GroupState s = lifecycle.at(g, now);
      if (s.gone()) {
        store.remove(g);
        return false;
      }
      return status.isEmpty() || status.get().equals(s.status());
    };
  }

  /** The sequence after which the page starts: the NextToken this endpoint handed out, or 0. */
  private static long nextToken(RpcRequest r) {
    Optional<String> token = r.optional("NextToken");
    if (token.isEmpty()) {
      return 0L;
    }
    try {
      return Long.parseLong(token.get());
    } catch (NumberFormatException e) {
      throw RpcError.invalidParameter("NextToken", "is not a token this endpoint handed out");
    }
  }
}
