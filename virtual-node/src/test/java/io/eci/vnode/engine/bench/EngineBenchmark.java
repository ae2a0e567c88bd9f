package io.eci.vnode.engine.bench;

import static org.awaitility.Awaitility.await;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceState;
import io.eci.vnode.engine.node.NodeIdentity;
import io.eci.vnode.engine.node.OutageLog;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.eci.vnode.sandbox.kube.KubeSandbox;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine under load: {@code pods} pods already bound to the node, ECI with no provisioning
 * delay. Reports p50/p99 of pod bound → CreateContainerGroup sent and of instance Running → pod
 * Running, ECI calls per pod, and the heap in use. ECI is the sandbox through the SDK with no
 * decorator in front (so no client-side rate limit). {@code ./mvnw -pl virtual-node -am -Pbench
 * verify} runs 1,000 pods; {@code EngineBenchmarkSmokeIT} runs a few in every build.
 */
public final class EngineBenchmark {

  /** What one run measured. */
  public record Result(
      int pods,
      String arrival,
      double boundToCreateP50Ms,
      double boundToCreateP99Ms,
      double runningToPodRunningP50Ms,
      double runningToPodRunningP99Ms,
      double mutatingCallsPerPod,
      double statusCallsPer100PodsPerPoll,
      double fullDescribesPerPod,
      long heapUsedMiB,
      double totalSeconds) {

    static final String HEADER =
        "| pods | arrival | bound → create sent p50 / p99 | instance Running → pod Running p50 / p99 | mutating ECI calls per pod | status calls per 100 pods per poll (steady) | full describes per pod | heap used | wall |";

    /** The same figures, labelled as the run that warmed a fresh JVM up. */
    Result asWarmUp() {
      return new Result(
          pods,
          arrival + " (warm-up, cold JVM)",
          boundToCreateP50Ms,
          boundToCreateP99Ms,
          runningToPodRunningP50Ms,
          runningToPodRunningP99Ms,
          mutatingCallsPerPod,
          statusCallsPer100PodsPerPoll,
          fullDescribesPerPod,
          heapUsedMiB,
          totalSeconds);
    }

    String markdown() {
      return String.format(
          "| %,d | %s | %.1f / %.1f ms | %.0f / %.0f ms | %.2f | %.2f | %.3f | %d MiB | %.1f s |",
          pods,
          arrival,
          boundToCreateP50Ms,
          boundToCreateP99Ms,
          runningToPodRunningP50Ms,
          runningToPodRunningP99Ms,
          mutatingCallsPerPod,
          statusCallsPer100PodsPerPoll,
          fullDescribesPerPod,
          heapUsedMiB,
          totalSeconds);
    }
  }

  /** Polls counted once every pod runs, for the steady-state status cost. */
  private static final int STEADY_POLLS = 4;

  private EngineBenchmark() {}

  /**
   * Arguments: pod count (1,000), then arrival rates in pods per second, 0 for "as fast as the
   * client can create them" (default: 0 and 100). A warm-up run at the first rate comes first and
   * is reported apart: a fresh JVM spends its first seconds compiling (20,000 JIT compilations in a
   * cold 1,000-pod run, 2,000 in the third), and the product runs for days, not ten seconds.
   */
  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    List<Integer> rates = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      rates.add(Integer.parseInt(args[i]));
    }
    if (rates.isEmpty()) {
      rates = List.of(0, 100);
    }
    System.out.println(Result.HEADER);
    System.out.println(run(pods, rates.get(0), Duration.ofMillis(500)).asWarmUp().markdown());
    for (int rate : rates) {
      System.out.println(run(pods, rate, Duration.ofMillis(500)).markdown());
    }
    System.exit(0);
  }

  /**
   * @param podsPerSecond how fast pods arrive; 0: as fast as the client can create them
   */
  public static Result run(int podCount, int podsPerSecond, Duration statusPeriod)
      throws Exception {
    try (KubeSandbox cluster = KubeSandbox.start();
        EciSandbox eci =
            EciSandbox.builder()
                .accessKey("LTAIbench", "bench-secret")
                .instantProvisioning()
                .start()) {
      KubernetesClient client = cluster.client();
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName("load").endMetadata().build())
          .create();
      VirtualNodeConfig config =
          new VirtualNodeConfig(
              "bench",
              "cn-hangzhou",
              List.of("vsw-sandbox-a"),
              "sg-bench",
              true,
              new EciCredentials.AccessKey("LTAIbench", "bench-secret"),
              VirtualNodeConfig.Quota.defaults());
      Recorder recorder =
          new Recorder(
              new EciSdkInstances(
                  new DefaultAcsClient(
                      DefaultProfile.getProfile("cn-hangzhou", "LTAIbench", "bench-secret")),
                  "cn-hangzhou",
                  Optional.of(eci.endpoint())));
      NodeIdentity identity = new NodeIdentity("cn-hangzhou", "cn-hangzhou-a");
      Map<String, Long> created = new ConcurrentHashMap<>();
      Map<String, Long> running = new ConcurrentHashMap<>();
      var watch =
          client
              .pods()
              .inNamespace("load")
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                      observe(pod);
                    }

                    @Override
                    public void onUpdate(Pod before, Pod after) {
                      observe(after);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {}

                    private void observe(Pod pod) {
                      if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
                        running.putIfAbsent(pod.getMetadata().getUid(), System.nanoTime());
                      }
                    }
                  });
      long started = System.nanoTime();
      try (VirtualNode node =
          new VirtualNode(
                  client,
                  config,
                  identity,
                  recorder,
                  new VirtualNode.Options(
                      statusPeriod,
                      Optional.empty(),
                      "bench",
                      Duration.ofSeconds(15),
                      Duration.ofSeconds(10),
                      Duration.ofSeconds(2),
                      OutageLog.SUMMARY_EVERY))
              .start()) {
        await()
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(20))
            .until(node::isOwner);
        long firstAt = System.nanoTime();
        for (int i = 0; i < podCount; i++) {
          if (podsPerSecond > 0) {
            long due = firstAt + i * 1_000_000_000L / podsPerSecond;
            LockSupport.parkNanos(due - System.nanoTime());
          }
          long at = System.nanoTime();
          Pod pod =
              client
                  .pods()
                  .inNamespace("load")
                  .resource(
                      TestPods.labelledBuilder("pod-" + i)
                          .editSpec()
                          .withNodeName(node.nodeName())
                          .endSpec()
                          .build())
                  .create();
          created.put(pod.getMetadata().getUid(), at);
        }
        // Polled, not spun: the engine and both stand-ins share the machine's two cores with this
        // loop.
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> running.size() >= podCount);
        double seconds = (System.nanoTime() - started) / 1e9;
        long statusCalls = eci.counters().calls("DescribeContainerGroupStatus");
        long pollsSoFar = recorder.polls.get();
        await()
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> recorder.polls.get() >= pollsSoFar + STEADY_POLLS + 1);
        double statusCallsPerPoll =
            (eci.counters().calls("DescribeContainerGroupStatus") - statusCalls)
                / (double) (recorder.polls.get() - pollsSoFar);
        System.gc();
        long heap =
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        List<Double> boundToCreate = new ArrayList<>();
        List<Double> runningToPod = new ArrayList<>();
        for (var e : created.entrySet()) {
          Long sent = recorder.createSent.get(e.getKey());
          Long returned = recorder.createReturned.get(e.getKey());
          Long seen = running.get(e.getKey());
          if (sent != null) {
            boundToCreate.add((sent - e.getValue()) / 1e6);
          }
          if (returned != null && seen != null) {
            runningToPod.add(Math.max(0, seen - returned) / 1e6);
          }
        }
        double mutating =
            (eci.counters().calls("CreateContainerGroup")
                    + eci.counters().calls("DeleteContainerGroup"))
                / (double) podCount;
        watch.close();
        return new Result(
            podCount,
            podsPerSecond == 0 ? "burst" : podsPerSecond + "/s",
            percentile(boundToCreate, 50),
            percentile(boundToCreate, 99),
            percentile(runningToPod, 50),
            percentile(runningToPod, 99),
            mutating,
            statusCallsPerPoll * 100.0 / podCount,
            eci.counters().calls("DescribeContainerGroups") / (double) podCount,
            heap,
            seconds);
      }
    }
  }

  private static double percentile(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  /** Records when each pod's create was sent and answered, and how many status polls ran. */
  static final class Recorder implements ContainerInstances {
    final Map<String, Long> createSent = new ConcurrentHashMap<>();
    final Map<String, Long> createReturned = new ConcurrentHashMap<>();
    final AtomicLong polls = new AtomicLong();
    private final ContainerInstances delegate;

    Recorder(ContainerInstances delegate) {
      this.delegate = delegate;
    }

    @Override
    public String create(CreateInstance create) {
      createSent.putIfAbsent(create.clientToken(), System.nanoTime());
      String id = delegate.create(create);
      createReturned.putIfAbsent(create.clientToken(), System.nanoTime());
      return id;
    }

    @Override
    public List<Instance> describeByTag(String key, String value) {
      return delegate.describeByTag(key, value);
    }

    @Override
    public List<InstanceState> statusByTag(String key, String value) {
      polls.incrementAndGet();
      return delegate.statusByTag(key, value);
    }

    @Override
    public List<Instance> describeByIds(List<String> ids) {
      return delegate.describeByIds(ids);
    }

    @Override
    public void delete(String instanceId) {
      delegate.delete(instanceId);
    }
  }
}
