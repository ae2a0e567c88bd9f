package io.eci.vnode.sandbox.eci;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/** Calls per action and errors per code, for tests and benchmarks to read. */
public final class Counters {

  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  private final List<BiConsumer<String, Map<String, String>>> listeners =
      new CopyOnWriteArrayList<>();

  void called(String action, Map<String, String> params) {
    calls.computeIfAbsent(action, a -> new LongAdder()).increment();
    listeners.forEach(l -> l.accept(action, params));
  }

  /**
   * Tells {@code listener} of every call as it arrives, with its parameters, on the thread that
   * serves it and before it is answered: how a benchmark times a request on the sandbox's side (for
   * example when each CreateContainerGroup arrived, by ClientToken). It must return quickly.
   */
  public void onCall(BiConsumer<String, Map<String, String>> listener) {
    listeners.add(listener);
  }

  void failed(String code) {
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /** How many calls of an action arrived (authenticated or not). */
  public long calls(String action) {
    LongAdder n = calls.get(action);
    return n == null ? 0 : n.sum();
  }

  /** How many answers carried an error code. */
  public long errors(String code) {
    LongAdder n = errors.get(code);
    return n == null ? 0 : n.sum();
  }

  /** Every count, for the admin API. */
  public Map<String, Map<String, Long>> snapshot() {
    Map<String, Long> c = new TreeMap<>();
    calls.forEach((k, v) -> c.put(k, v.sum()));
    Map<String, Long> e = new TreeMap<>();
    errors.forEach((k, v) -> e.put(k, v.sum()));
    return Map.of("calls", c, "errors", e);
  }

  /** Starts counting from zero. */
  public void reset() {
    calls.clear();
    errors.clear();
  }
}
