package io.eci.vnode.engine.pod.fake;

import static org.awaitility.Awaitility.await;

import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ECI in memory, for the fast tests: instances are Running as soon as they are created (in the
 * first vSwitch's zone that has stock), calls are counted by ECI's action names and can be waited
 * for, and a named fault can be injected into the next call of an action ({@link #failNext}).
 * Thread-safe; no I/O.
 */
public final class FakeContainerInstances implements ContainerInstances {

  public static final String CREATE = "CreateContainerGroup";
  public static final String DESCRIBE = "DescribeContainerGroups";
  public static final String STATUS = "DescribeContainerGroupStatus";
  public static final String DELETE = "DeleteContainerGroup";

  /** How a zone without stock answers. */
  public enum StockOut {
    /** The create is refused with NoStock when no vSwitch of the request has stock. */
    REJECT,
    /** The create succeeds, and the instance ends ScheduleFailed with a NoStock event. */
    SCHEDULE_FAILED
  }

  private static final Map<String, String> ZONES =
      Map.of("vsw-a", "cn-hangzhou-a", "vsw-b", "cn-hangzhou-b", "vsw-c", "cn-hangzhou-c");

  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private final Map<String, Integer> versions = new HashMap<>();
  private final Map<String, String> idByToken = new HashMap<>();
  private final Map<String, StockOut> stockOuts = new HashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, Deque<EciException.Kind>> faults = new HashMap<>();
  private final Map<String, Deque<Runnable>> hooks = new HashMap<>();
  private final List<CreateInstance> creates = new ArrayList<>();
  private boolean stopsTakeTime;
  private int nextId;

  /** The next call of {@code action} fails with an error of this kind. */
  public synchronized FakeContainerInstances failNext(String action, EciException.Kind kind) {
    faults.computeIfAbsent(action, a -> new ArrayDeque<>()).add(kind);
    return this;
  }

  /** Runs {@code hook} inside the next call of {@code action}, before the call does anything. */
  public synchronized FakeContainerInstances duringNext(String action, Runnable hook) {
    hooks.computeIfAbsent(action, a -> new ArrayDeque<>()).add(hook);
    return this;
  }

  /** The zone has no stock from now on. */
  public synchronized FakeContainerInstances stockOut(String zone, StockOut how) {
    stockOuts.put(zone, how);
    return this;
  }

  /** A deleted instance stays Terminating until {@link #finishStopping} (instead of going). */
  public synchronized FakeContainerInstances stopsTakeTime() {
    stopsTakeTime = true;
    return this;
  }

  /** How often {@code action} was called. */
  public int calls(String action) {
    AtomicInteger n = calls.get(action);
    return n == null ? 0 : n.get();
  }

  /** Waits, at most five seconds, until {@code action} was called {@code times} times. */
  public void awaitCalls(String action, int times) {
    await().atMost(Duration.ofSeconds(5)).until(() -> calls(action) >= times);
  }

  public synchronized List<CreateInstance> creates() {
    return List.copyOf(creates);
  }

  public synchronized List<Instance> instances() {
    return List.copyOf(instances.values());
  }

  public synchronized Optional<Instance> instance(String id) {
    return Optional.ofNullable(instances.get(id));
  }

  /** Adds an instance as something else made it (another engine, another cluster). */
  public synchronized void put(Instance instance) {
    instances.put(instance.id(), instance);
    versions.merge(instance.id(), 1, Integer::sum);
  }

  /** The instance changes to {@code status}, as ECI would report it. */
  public synchronized void setStatus(String id, EciStatus status) {
    put(withStatus(instances.get(id), status, instances.get(id).events()));
  }

  /** The instance is gone (deleted outside Kubernetes, reclaimed, or its stop finished). */
  public synchronized void vanish(String id) {
    instances.remove(id);
  }

  /** A Terminating instance has stopped and is gone. */
  public void finishStopping(String id) {
    vanish(id);
  }

  @Override
  public synchronized String create(CreateInstance create) {
    enter(CREATE);
    creates.add(create);
    String existing = idByToken.get(create.clientToken());
    if (existing != null) {
      return existing;
    }
    CreateContainerGroupRequest request = create.request();
    List<String> vSwitches = Arrays.asList(request.getVSwitchId().split(","));
    String vSwitch =
        vSwitches.stream()
            .filter(v -> stockOuts.get(ZONES.get(v)) != StockOut.REJECT)
            .findFirst()
            .orElseThrow(
                () ->
                    new EciException(
                        EciException.Kind.NO_STOCK, "NoStock", "no stock in " + vSwitches, null));
    String zone = ZONES.get(vSwitch);
    String id = "eci-" + ++nextId;
    Map<String, String> tags = new HashMap<>();
    request.getTags().forEach(t -> tags.put(t.getKey(), t.getValue()));
    List<Instance.ContainerStatus> containers =
        request.getContainers().stream()
            .map(
                c ->
                    new Instance.ContainerStatus(
                        c.getName(),
                        c.getImage(),
                        "Running",
                        "Started",
                        null,
                        Instant.EPOCH,
                        null,
                        0,
                        null))
            .toList();
    boolean scheduleFailed = stockOuts.get(zone) == StockOut.SCHEDULE_FAILED;
    Instance instance =
        new Instance(
            id,
            request.getContainerGroupName(),
            Optional.of(scheduleFailed ? EciStatus.SCHEDULE_FAILED : EciStatus.RUNNING),
            scheduleFailed ? "ScheduleFailed" : "Running",
            zone,
            vSwitch,
            scheduleFailed ? "" : "10." + zone.charAt(zone.length() - 1) + ".0." + nextId,
            Map.copyOf(tags),
            scheduleFailed ? List.of() : containers,
            scheduleFailed
                ? List.of(new Instance.Event("Warning", "NoStock", "no stock in " + zone))
                : List.of(),
            Instant.EPOCH.plusSeconds(nextId));
    idByToken.put(create.clientToken(), id);
    put(instance);
    return id;
  }

  @Override
  public synchronized List<Instance> describeByTag(String key, String value) {
    enter("DescribeContainerGroups");
    return instances.values().stream().filter(i -> value.equals(i.tags().get(key))).toList();
  }

  @Override
  public synchronized List<InstanceState> statusByTag(String key, String value) {
    enter(STATUS);
    return instances.values().stream()
        .filter(i -> value.equals(i.tags().get(key)))
        .map(
            i ->
                new InstanceState(
                    i.id(), i.rawStatus(), i.rawStatus() + "#" + versions.get(i.id())))
        .toList();
  }

  @Override
  public synchronized List<Instance> describeByIds(List<String> ids) {
    enter(DESCRIBE);
    if (ids.size() > 20) {
      throw new EciException(
          EciException.Kind.INVALID_REQUEST, "InvalidParameter", "more than 20 ids", null);
    }
    return ids.stream().filter(instances::containsKey).map(instances::get).toList();
  }

  @Override
  public synchronized void delete(String instanceId) {
    enter(DELETE);
    Instance instance = instances.get(instanceId);
    if (instance == null) {
      return;
    }
    if (stopsTakeTime) {
      put(withStatus(instance, EciStatus.TERMINATING, instance.events()));
    } else {
      instances.remove(instanceId);
    }
  }

  /** Counts the call, runs a hook waiting for it, and throws a fault injected into it. */
  private void enter(String action) {
    calls.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    Runnable hook = poll(hooks, action);
    if (hook != null) {
      hook.run();
    }
    EciException.Kind fault = poll(faults, action);
    if (fault != null) {
      throw new EciException(fault, fault.name(), "injected into " + action, null);
    }
  }

  private static <T> T poll(Map<String, Deque<T>> byAction, String action) {
    Deque<T> queued = byAction.get(action);
    return queued == null ? null : queued.poll();
  }

  private static Instance withStatus(Instance i, EciStatus status, List<Instance.Event> events) {
    return new Instance(
        i.id(),
        i.name(),
        Optional.of(status),
        status.wire(),
        i.zoneId(),
        i.vSwitchId(),
        i.intranetIp(),
        i.tags(),
        i.containers(),
        events,
        i.createdAt());
  }
}
