package io.eci.vnode.service.hosting.bench;

import static io.eci.vnode.service.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.sandbox.kube.SharedKubeSandbox;
import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.PostgresTestResource;
import io.eci.vnode.service.claims.ClaimStore;
import io.eci.vnode.service.hosting.Host;
import io.eci.vnode.service.hosting.HostingConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The cost of idle managed clusters on one replica: {@code bench.clusters} clusters (default 5, the
 * smoke size of every build; {@code ./mvnw -pl service -Pbench verify -Dbench.clusters=300} for a
 * real run) registered through the API, each a cluster of one {@link SharedKubeSandbox} (one server
 * for all, so the stand-ins add no threads per cluster), hosted by the replica's {@link Host} until
 * each has a Ready node. Reports heap and threads per idle cluster, the time of one claim renewal
 * holding every claim, and the time until every node is Ready. Then, under load, {@code bench.pods}
 * pods per cluster (default 2) arriving at {@code bench.podsPerSecond} (default 100): the create
 * overhead's p50/p99 and the time until all run. Figures in {@code docs/performance.md}.
 */
@QuarkusTest
@TestProfile(HostingBenchmarkProfile.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(BenchEciResource.class)
class HostingBenchmarkIT {

  static final int CLUSTERS = Integer.getInteger("bench.clusters", 5);
  static final int PODS_PER_CLUSTER = Integer.getInteger("bench.pods", 2);
  static final double PODS_PER_SECOND =
      Double.parseDouble(System.getProperty("bench.podsPerSecond", "100"));
  private static final int WARM_UP = 3;
  private static final int RENEWALS = 20;
  private static final String NODE = "virtual-kubelet-cn-hangzhou-a";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Host host;
  @Inject ClaimStore claims;
  @Inject HostingConfig config;

  /** What one run measured. */
  record Result(
      int clusters,
      double registerSeconds,
      double readySeconds,
      double heapPerClusterKiB,
      double heapPerClusterWithStandInKiB,
      int threadsAdded,
      String threadsAddedByName,
      double renewMs,
      long heapUsedMiB,
      long heapMaxMiB) {

    static final String HEADER =
        "| idle clusters | register all | all nodes Ready | heap per cluster (engine) | heap per cluster (engine + stand-in data) | threads added (per cluster) | claim renewal | heap used / max |\n"
            + "|---|---|---|---|---|---|---|---|";

    String markdown() {
      return String.format(
          "| %,d | %.1f s | %.1f s | %.0f KiB | %.0f KiB | %d (%.3f) | %.2f ms | %d / %d MiB |",
          clusters,
          registerSeconds,
          readySeconds,
          heapPerClusterKiB,
          heapPerClusterWithStandInKiB,
          threadsAdded,
          (double) threadsAdded / clusters,
          renewMs,
          heapUsedMiB,
          heapMaxMiB);
    }
  }

  @Test
  void idleClustersOnOneReplica() throws Exception {
    host.start();
    HttpClient http = HttpClient.newHttpClient();
    try (SharedKubeSandbox kubes = SharedKubeSandbox.start()) {
      TestTenant tenant = Api.newTenant();

      // Warm up: a few clusters hosted end to end load the classes and start the shared pools.
      List<SharedKubeSandbox.Cluster> warm = new ArrayList<>();
      for (int i = 0; i < WARM_UP; i++) {
        warm.add(kubes.add("warm-" + i));
      }
      warm.forEach(c -> register(tenant, c));
      awaitReady(http, warm, Duration.ofSeconds(120));

      // The stand-in clusters exist before the baseline: only what hosting adds is measured.
      List<SharedKubeSandbox.Cluster> clusters = new ArrayList<>();
      for (int i = 0; i < CLUSTERS; i++) {
        clusters.add(kubes.add("c-" + i));
      }
      keepsHosting(WARM_UP, config.statusPeriod());
      long heapBefore = settledHeapUsed();
      Set<Thread> threadsBefore = liveThreads();

      long start = System.nanoTime();
      clusters.forEach(c -> register(tenant, c));
      double registerSeconds = (System.nanoTime() - start) / 1e9;
      awaitReady(http, clusters, Duration.ofSeconds(Math.max(120, CLUSTERS / 2)));
      double readySeconds = (System.nanoTime() - start) / 1e9;
      assertThat(host.hosted()).hasSize(CLUSTERS + WARM_UP);

      // Idle steady state: every engine running for a while. The clients' shared task pool grew
      // while a thousand engines started at once; -Dbench.idleSeconds past its keep-alive (30 s)
      // lets that burst's idle threads end, so what is counted is what idle clusters keep.
      keepsHosting(
          CLUSTERS + WARM_UP,
          Duration.ofSeconds(Long.getLong("bench.idleSeconds", 0))
              .plus(config.statusPeriod().multipliedBy(2)));
      long heapHosting = settledHeapUsed();
      Set<Thread> added = liveThreads();
      added.removeAll(threadsBefore);
      added.removeAll(kubes.serverThreads());
      // the benchmark's own HTTP client and the ECI stand-in
      added.removeIf(
          t -> t.getName().startsWith("HttpClient-") || t.getName().startsWith("eci-sandbox"));
      Map<String, Integer> byName = new TreeMap<>();
      added.forEach(
          t ->
              byName.merge(
                  t.getName().replaceAll("[0-9a-f]{5,}", "H").replaceAll("\\d+", "N"),
                  1,
                  Integer::sum));

      for (int i = 0; i < 3; i++) {
        claims.renew(host.replica(), config.lease());
      }
      long renewStart = System.nanoTime();
      for (int i = 0; i < RENEWALS; i++) {
        assertThat(claims.renew(host.replica(), config.lease()))
            .isGreaterThanOrEqualTo(CLUSTERS + WARM_UP);
      }
      double renewMs = (System.nanoTime() - renewStart) / 1e6 / RENEWALS;

      // -Dbench.holdSeconds keeps them running for a look from outside (jcmd GC.class_histogram).
      keepsHosting(CLUSTERS + WARM_UP, Duration.ofSeconds(Long.getLong("bench.holdSeconds", 0)));
      // Stopping the engines (the stand-ins keep what they stored) shows the engines' own share.
      host.stop();
      long heapStopped = settledHeapUsed();

      // Under load: the replica starts again and M pods per cluster arrive at a steady rate.
      Load load = PODS_PER_CLUSTER > 0 ? podsUnderLoad(http, clusters) : null;

      Result result =
          new Result(
              CLUSTERS,
              registerSeconds,
              readySeconds,
              (heapHosting - heapStopped) / 1024.0 / CLUSTERS,
              (heapHosting - heapBefore) / 1024.0 / CLUSTERS,
              added.size(),
              byName.toString(),
              renewMs,
              heapHosting >> 20,
              Runtime.getRuntime().maxMemory() >> 20);
      report(result, load);

      assertThat(result.readySeconds()).isPositive().isFinite();
      assertThat(result.registerSeconds()).isPositive().isFinite();
      assertThat(result.renewMs()).isPositive().isFinite();
      assertThat(result.heapPerClusterWithStandInKiB()).isPositive().isFinite();
      assertThat(result.heapPerClusterKiB()).isFinite();
      assertThat(result.threadsAdded()).isNotNegative();
      if (load != null) {
        assertThat(load.pods()).isEqualTo(CLUSTERS * PODS_PER_CLUSTER);
        assertThat(load.createP99Ms()).isPositive().isFinite();
        assertThat(load.duplicateCreates()).isZero();
      }
    } finally {
      host.stop();
    }
  }

  /**
   * What the pods phase measured.
   *
   * @param createP50Ms pod created (bound to the node) → its CreateContainerGroup arrives at ECI
   * @param allRunningSeconds from the first pod created until every pod shows Running
   * @param duplicateCreates CreateContainerGroup calls beyond one per pod (retries with the same
   *     ClientToken are harmless, but they would show here)
   */
  record Load(
      int pods,
      double podsPerSecond,
      double createP50Ms,
      double createP99Ms,
      double createMaxMs,
      double allRunningSeconds,
      long duplicateCreates,
      long heapUsedMiB) {

    static final String HEADER =
        "| clusters x pods | arrival | pod bound → create at ECI p50 / p99 / max | all Running | extra creates | heap used |\n"
            + "|---|---|---|---|---|---|";

    String markdown(int clusters) {
      return String.format(
          "| %,d x %,d | %.0f/s | %.0f / %.0f / %.0f ms | %.1f s | %d | %d MiB |",
          clusters,
          pods / clusters,
          podsPerSecond,
          createP50Ms,
          createP99Ms,
          createMaxMs,
          allRunningSeconds,
          duplicateCreates,
          heapUsedMiB);
    }
  }

  /**
   * Starts the replica again, waits until it owns every cluster, then creates {@code bench.pods}
   * pods per cluster, round-robin over the clusters at {@code bench.podsPerSecond}, each already
   * bound to the virtual node (the binder's work is not what is timed). The create overhead is from
   * just before the pod's create request until its CreateContainerGroup arrives at the ECI stand-in
   * (by ClientToken = pod UID), so it includes the API server's answer, the watch event, the
   * engine's queue and translation, and the SDK's signing and send.
   */
  private Load podsUnderLoad(HttpClient http, List<SharedKubeSandbox.Cluster> clusters)
      throws Exception {
    host.start();
    await()
        .atMost(Duration.ofSeconds(Math.max(120, CLUSTERS / 2)))
        .until(
            () ->
                host.hosted().size() == CLUSTERS + WARM_UP
                    && host.hosted().stream()
                        .allMatch(id -> host.engine(id).map(e -> e.isOwner()).orElse(false)));
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    LongAdder creates = new LongAdder();
    BenchEciResource.eci()
        .counters()
        .onCall(
            (action, params) -> {
              if (action.equals("CreateContainerGroup")) {
                creates.increment();
                arrived.putIfAbsent(params.getOrDefault("ClientToken", ""), System.nanoTime());
              }
            });
    Map<String, Long> sent = new ConcurrentHashMap<>();
    int total = CLUSTERS * PODS_PER_CLUSTER;
    long gapNanos = (long) (1e9 / PODS_PER_SECOND);
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * gapNanos;
      while (System.nanoTime() < due) {
        LockSupport.parkNanos(due - System.nanoTime());
      }
      SharedKubeSandbox.Cluster cluster = clusters.get(i % CLUSTERS);
      long at = System.nanoTime();
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/default/pods"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(boundPod("load-" + i)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
      sent.put(JSON.readTree(answer.body()).path("metadata").path("uid").asText(), at);
    }
    double arrivalSeconds = (System.nanoTime() - start) / 1e9;
    await()
        .atMost(Duration.ofSeconds(Math.max(120, total / 20)))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> running(http, clusters) == total);
    double allRunning = (System.nanoTime() - start) / 1e9;
    List<Double> overhead = new ArrayList<>();
    sent.forEach(
        (uid, at) -> {
          Long got = arrived.get(uid);
          if (got != null) {
            overhead.add((got - at) / 1e6);
          }
        });
    assertThat(overhead).as("every pod's create arrived at ECI").hasSize(total);
    Collections.sort(overhead);
    return new Load(
        total,
        total / arrivalSeconds,
        percentile(overhead, 50),
        percentile(overhead, 99),
        overhead.get(overhead.size() - 1),
        allRunning,
        creates.sum() - total,
        settledHeapUsed() >> 20);
  }

  private static String boundPod(String name) {
    return """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"%s","labels":{"alibabacloud.com/eci":"true"}},
         "spec":{"nodeName":"%s",
                 "tolerations":[{"key":"virtual-kubelet.io/provider","operator":"Exists",
                                 "effect":"NoSchedule"}],
                 "containers":[{"name":"app","image":"nginx:1.27"}]}}
        """
        .formatted(name, NODE);
  }

  /** Pods that show Running, over every cluster's stand-in. */
  private static int running(HttpClient http, List<SharedKubeSandbox.Cluster> clusters)
      throws Exception {
    int running = 0;
    for (SharedKubeSandbox.Cluster cluster : clusters) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/default/pods"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      for (JsonNode pod : JSON.readTree(answer.body()).path("items")) {
        if (pod.path("status").path("phase").asText().equals("Running")) {
          running++;
        }
      }
    }
    return running;
  }

  /** Sorted values' nearest-rank percentile. */
  private static double percentile(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static void report(Result result, Load load) throws IOException {
    String text =
        Result.HEADER
            + "\n"
            + result.markdown()
            + "\n\nthreads added, by name: "
            + result.threadsAddedByName()
            + "\n"
            + (load == null
                ? ""
                : "\n" + Load.HEADER + "\n" + load.markdown(result.clusters()) + "\n");
    System.out.println(
        "\nHosting benchmark (" + Runtime.getRuntime().availableProcessors() + " cores)\n" + text);
    Path file = Path.of("target", "hosting-benchmark.md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static void register(TestTenant tenant, SharedKubeSandbox.Cluster cluster) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", cluster.name());
    body.put("region", "cn-hangzhou");
    body.put("mode", "managed");
    body.put(
        "apiServer",
        Map.of("url", cluster.url(), "credentials", Map.of("token", "stand-in-token")));
    body.put(
        "eci",
        Map.of(
            "vSwitchIds",
            List.of("vsw-a"),
            "securityGroupId",
            "sg-bench",
            "kubeProxy",
            true,
            "credentials",
            Map.of(
                "accessKeyId", BenchEciResource.KEY, "accessKeySecret", BenchEciResource.SECRET)));
    // Unchecked: the benchmark counts the ECI calls of hosting, which the checks would add to.
    as(tenant).body(body).post(Api.CLUSTERS_UNCHECKED).then().statusCode(201);
  }

  /** Polls each cluster's node straight from its stand-in until every one is Ready. */
  private static void awaitReady(
      HttpClient http, List<SharedKubeSandbox.Cluster> clusters, Duration deadline) {
    Set<SharedKubeSandbox.Cluster> waiting = new HashSet<>(clusters);
    await("every node Ready")
        .atMost(deadline)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              waiting.removeIf(c -> ready(http, c));
              return waiting.isEmpty();
            });
  }

  /**
   * Lets the replica run for {@code period}, checking all along that it keeps hosting {@code
   * clusters} clusters: the idle time a measurement needs, and a check that no engine dropped.
   */
  private void keepsHosting(int clusters, Duration period) {
    await("the replica keeps hosting " + clusters + " clusters")
        .during(period)
        .atMost(period.plusSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> host.hosted().size() == clusters);
  }

  private static boolean ready(HttpClient http, SharedKubeSandbox.Cluster cluster) {
    try {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/nodes/" + NODE)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        return false;
      }
      for (JsonNode condition : JSON.readTree(answer.body()).path("status").path("conditions")) {
        if (condition.path("type").asText().equals("Ready")) {
          return condition.path("status").asText().equals("True");
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Set<Thread> liveThreads() {
    Set<Thread> live = new HashSet<>(Thread.getAllStackTraces().keySet());
    live.removeIf(t -> !t.isAlive());
    return live;
  }

  /** Heap in use after full collections, once it stops shrinking. */
  private static long settledHeapUsed() {
    long[] least = {Long.MAX_VALUE};
    await("heap settled")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              System.gc();
              long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
              boolean settled = now >= least[0] - (least[0] >> 8);
              least[0] = Math.min(now, least[0]);
              return settled;
            });
    return least[0];
  }
}
