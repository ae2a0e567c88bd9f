package io.eci.vnode.sandbox.eci.bench;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsRequest;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.sandbox.eci.EciSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * How fast the ECI sandbox answers the real SDK: create throughput while filling it, then
 * DescribeContainerGroups by a cluster's tag (the engine's status poll) and by ids, with the whole
 * region full. Client and server share the machine, so the figures are a lower bound of the
 * sandbox's capacity.
 *
 * <p>{@code ./mvnw -pl sandbox -am -Pbench verify} runs the full size (10,000 instances in 100
 * clusters); {@code EciSandboxBenchmarkSmokeIT} runs a small size in every build.
 */
public final class EciSandboxBenchmark {

  private static final String KEY = "LTAIbench";
  private static final String SECRET = "bench-secret";

  /** What one run measured. */
  public record Result(
      int instances,
      int clusters,
      int threads,
      double createsPerSecond,
      double describeByTagPerSecond,
      double describeByIdsPerSecond,
      double rawDescribeByTagPerSecond,
      long errors) {

    String markdown() {
      return String.format(
          "| %,d instances in %d clusters, %d client threads | %,.0f creates/s | %,.0f describes/s by tag | %,.0f describes/s by ids | %,.0f describes/s by tag | %d errors |",
          instances,
          clusters,
          threads,
          createsPerSecond,
          describeByTagPerSecond,
          describeByIdsPerSecond,
          rawDescribeByTagPerSecond,
          errors);
    }
  }

  private EciSandboxBenchmark() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Result result = run(instances, 100, 4, Duration.ofSeconds(seconds));
    System.out.println(result.markdown());
  }

  /**
   * Fills a fresh sandbox with {@code instances} in {@code clusters}, then measures describes for
   * {@code measure}.
   */
  public static Result run(int instances, int clusters, int threads, Duration measure)
      throws Exception {
    try (EciSandbox sandbox =
        EciSandbox.builder().accessKey(KEY, SECRET).instantProvisioning().start()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        DefaultAcsClient client =
            new DefaultAcsClient(DefaultProfile.getProfile(sandbox.region(), KEY, SECRET));
        LongAdder errors = new LongAdder();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        runOn(
            pool,
            threads,
            () -> {
              for (int i = next.getAndIncrement(); i < instances; i = next.getAndIncrement()) {
                try {
                  ids.add(
                      client
                          .getAcsResponse(create(sandbox, "pod-" + i, "cluster-" + (i % clusters)))
                          .getContainerGroupId());
                } catch (Exception e) {
                  errors.increment();
                }
              }
            });
        double createsPerSecond = instances / seconds(System.nanoTime() - started);

        double byTag =
            measure(
                pool,
                threads,
                measure,
                errors,
                n -> describeByTag(sandbox, "cluster-" + (n % clusters)),
                client);
        List<String> known = List.copyOf(ids);
        double byIds =
            measure(pool, threads, measure, errors, n -> describeByIds(sandbox, known, n), client);
        double raw =
            new SignedHttpClient(sandbox, KEY, SECRET)
                .measureDescribeByTag(pool, threads, measure, clusters, errors);
        return new Result(
            instances, clusters, threads, createsPerSecond, byTag, byIds, raw, errors.sum());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static double measure(
      ExecutorService pool,
      int threads,
      Duration measure,
      LongAdder errors,
      IntFunction<DescribeContainerGroupsRequest> request,
      DefaultAcsClient client)
      throws Exception {
    LongAdder calls = new LongAdder();
    AtomicInteger n = new AtomicInteger();
    long deadline = System.nanoTime() + measure.toNanos();
    long started = System.nanoTime();
    runOn(
        pool,
        threads,
        () -> {
          while (System.nanoTime() < deadline) {
            try {
              if (client
                  .getAcsResponse(request.apply(n.getAndIncrement()))
                  .getContainerGroups()
                  .isEmpty()) {
                errors.increment();
              }
              calls.increment();
            } catch (Exception e) {
              errors.increment();
            }
          }
        });
    return calls.sum() / seconds(System.nanoTime() - started);
  }

  private static void runOn(ExecutorService pool, int threads, Runnable work) throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      running.add(pool.submit(work));
    }
    for (Future<?> f : running) {
      f.get();
    }
  }

  private static CreateContainerGroupRequest create(
      EciSandbox sandbox, String name, String cluster) {
    CreateContainerGroupRequest create = new CreateContainerGroupRequest();
    target(create, sandbox);
    create.setContainerGroupName(name);
    create.setSecurityGroupId("sg-bench");
    create.setVSwitchId("vsw-sandbox-a,vsw-sandbox-b");
    create.setClientToken(name);
    CreateContainerGroupRequest.Container container = new CreateContainerGroupRequest.Container();
    container.setName("app");
    container.setImage("nginx:1.27");
    create.setContainers(List.of(container));
    CreateContainerGroupRequest.Tag tag = new CreateContainerGroupRequest.Tag();
    tag.setKey("eci-vnode/cluster");
    tag.setValue(cluster);
    create.setTags(List.of(tag));
    return create;
  }

  private static DescribeContainerGroupsRequest describeByTag(EciSandbox sandbox, String cluster) {
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    target(describe, sandbox);
    DescribeContainerGroupsRequest.Tag tag = new DescribeContainerGroupsRequest.Tag();
    tag.setKey("eci-vnode/cluster");
    tag.setValue(cluster);
    describe.setTags(List.of(tag));
    describe.setLimit(20);
    return describe;
  }

  private static DescribeContainerGroupsRequest describeByIds(
      EciSandbox sandbox, List<String> ids, int n) {
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    target(describe, sandbox);
    int from = (n * 20) % Math.max(1, ids.size() - 20);
    describe.setContainerGroupIds(
        ids.subList(from, Math.min(ids.size(), from + 20)).stream()
            .map(id -> "\"" + id + "\"")
            .collect(Collectors.joining(",", "[", "]")));
    return describe;
  }

  private static void target(AcsRequest<?> request, EciSandbox sandbox) {
    request.setSysEndpoint(sandbox.endpoint());
    request.setSysProtocol(ProtocolType.HTTP);
    request.setSysRegionId(sandbox.region());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
