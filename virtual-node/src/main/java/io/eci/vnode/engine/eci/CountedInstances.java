package io.eci.vnode.engine.eci;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts the engine's ECI calls by operation and its failures by error code, for status and
 * metrics.
 */
public final class CountedInstances implements ContainerInstances {

  private final ContainerInstances delegate;
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  public CountedInstances(ContainerInstances delegate) {
    this.delegate = delegate;
  }

  @Override
  public String create(CreateInstance create) {
    return count("create", () -> delegate.create(create));
  }

  @Override
  public List<Instance> describeByTag(String key, String value) {
    return count("describeByTag", () -> delegate.describeByTag(key, value));
  }

  @Override
  public List<InstanceState> statusByTag(String key, String value) {
    return count("statusByTag", () -> delegate.statusByTag(key, value));
  }

  @Override
  public List<Instance> describeByIds(List<String> ids) {
    return count("describeByIds", () -> delegate.describeByIds(ids));
  }

  @Override
  public void delete(String instanceId) {
    count(
        "delete",
        () -> {
          delegate.delete(instanceId);
          return null;
        });
  }

  /** Calls by operation. */
  public Map<String, Long> calls() {
    return snapshot(calls);
  }

  /** Failed calls by error code. */
  public Map<String, Long> errors() {
    return snapshot(errors);
  }

  private <T> T count(String operation, Supplier<T> call) {
    calls.computeIfAbsent(operation, o -> new LongAdder()).increment();
    try {
      return call.get();
    } catch (EciException e) {
      errors.computeIfAbsent(e.code(), c -> new LongAdder()).increment();
      throw e;
    }
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
    Map<String, Long> copy = new TreeMap<>();
    counters.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }
}
