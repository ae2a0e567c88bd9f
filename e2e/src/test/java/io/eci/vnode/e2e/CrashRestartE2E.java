package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse.ContainerGroup;
import io.eci.vnode.sandbox.controlplane.RequiresControlPlane;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A benchmark-style crash: the service is killed with SIGKILL during a burst of pods, at a moment
 * when some pods have an instance but no status written yet (the crash window); half the pods,
 * those among them first, are deleted while it is down; then it starts again. It reports (a) the
 * time from the restart to every remaining pod Running, (b) the longest time any instance outlived
 * its pod, and (c) duplicate creates and double deletes, and holds them to the targets: within 10 s
 * of the restart, no instance outliving its pod by more than one status period, none of either. CI
 * runs it with {@value #DEFAULT_PODS} pods; {@code -Dvnode.e2e.crash.pods=200} makes it bigger. The
 * figures go to the log and to {@code target/e2e/crash/figures.txt}.
 */
@RequiresControlPlane
class CrashRestartE2E {

  private static final Logger LOG = LoggerFactory.getLogger(CrashRestartE2E.class);
  private static final int DEFAULT_PODS = 20;
  private static final String NAMESPACE = "burst";
  private static final Duration STATUS_PERIOD = Duration.ofMillis(500);
  private static final Duration ECI_SAMPLE = Duration.ofMillis(200);

  private static Product product;

  @BeforeAll
  static void start() {
    product =
        Product.builder("crash")
            .service(Map.of("vnode.hosting.status-period", STATUS_PERIOD.toMillis() + "ms"))
            .start();
  }

  @AfterAll
  static void stop() {
    if (product != null) {
      product.close();
    }
  }

  @Test
  void aServiceKilledDuringABurstRunsEveryPodAgainSoonAndNoInstanceOutlivesItsPod()
      throws IOException {
    int count = Integer.getInteger("vnode.e2e.crash.pods", DEFAULT_PODS);
    product.createNamespace(NAMESPACE, Map.of());
    Map<String, Instant> goneAt = new ConcurrentHashMap<>();
    Samples eci = new Samples();
    try (Watch removals = watchRemovals(goneAt)) {
      IntStream.range(0, count).forEach(i -> create("pod-" + i));
      // The crash window: instances created whose pods do not record them yet. The status poll
      // records them within a period, so only a few are in it at any one moment.
      await()
          .atMost(Product.DEADLINE)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> inCrashWindow().size() >= Math.min(3, Math.max(1, count / 10)));
      product.service().kill();
      Set<String> window = inCrashWindow();
      eci.sample(product.calls().instances());

      List<Pod> all = product.kube().pods().inNamespace(NAMESPACE).list().getItems();
      Set<String> deleted = new HashSet<>();
      for (int i = 0; i < all.size(); i++) {
        Pod pod = all.get(i);
        if (window.contains(pod.getMetadata().getUid()) || i % 2 == 0) {
          product.kube().resource(pod).delete();
          deleted.add(pod.getMetadata().getUid());
        }
      }
      Set<String> remaining =
          all.stream()
              .filter(p -> !deleted.contains(p.getMetadata().getUid()))
              .map(p -> p.getMetadata().getName())
              .collect(Collectors.toSet());

      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      Instant launched = Instant.now();
      try {
        sampler.scheduleWithFixedDelay(
            () -> eci.sampleSafely(product.calls()),
            0,
            ECI_SAMPLE.toMillis(),
            TimeUnit.MILLISECONDS);
        product.service().start();
        Instant ready = Instant.now();
        await()
            .atMost(Product.DEADLINE)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> allRunning(remaining));
        Instant running = Instant.now();
        await()
            .atMost(Product.DEADLINE)
            .until(() -> deleted.stream().allMatch(goneAt::containsKey));
        // Every instance of a deleted pod has been looked at once more after its pod went.
        await().atMost(Product.DEADLINE).until(() -> eci.lastSampleAt().isAfter(latest(goneAt)));
        Figures figures =
            new Figures(
                count,
                window.size(),
                deleted.size(),
                Duration.between(launched, running),
                Duration.between(ready, running),
                eci.longestOutlived(goneAt),
                eci.duplicateCreates(),
                doubleDeletes(eci.instanceIds()));
        report(figures);
        assertThat(figures.fromReady()).isLessThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(figures.longestOutlived()).isLessThanOrEqualTo(STATUS_PERIOD);
        assertThat(figures.duplicateCreates()).isZero();
        assertThat(figures.doubleDeletes()).isZero();
      } finally {
        sampler.shutdownNow();
      }
    }
  }

  private static void create(String name) {
    product
        .kube()
        .pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("alibabacloud.com/eci", "true")
                .addToLabels("app", "burst")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  /** The pods that have an instance (a create for their uid) but do not record it yet. */
  private static Set<String> inCrashWindow() {
    return product.kube().pods().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(p -> Pods.instanceOf(p) == null)
        .map(p -> p.getMetadata().getUid())
        .filter(uid -> !product.calls().createsOf(uid).isEmpty())
        .collect(Collectors.toSet());
  }

  private static boolean allRunning(Set<String> names) {
    List<Pod> pods = product.kube().pods().inNamespace(NAMESPACE).list().getItems();
    return names.stream()
        .allMatch(
            n ->
                pods.stream()
                    .anyMatch(
                        p -> p.getMetadata().getName().equals(n) && Pods.runningOnTheNode(p)));
  }

  private static Watch watchRemovals(Map<String, Instant> goneAt) {
    return product
        .kube()
        .pods()
        .inNamespace(NAMESPACE)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                  goneAt.putIfAbsent(pod.getMetadata().getUid(), Instant.now());
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  private static Instant latest(Map<String, Instant> times) {
    return times.values().stream().max(Instant::compareTo).orElse(Instant.EPOCH);
  }

  private static long doubleDeletes(Set<String> instanceIds) {
    return instanceIds.stream().filter(id -> product.calls().deletesOf(id).size() > 1).count();
  }

  private static void report(Figures f) throws IOException {
    String text =
        String.format(
            "crash during a burst: %d pods, %d in the crash window, %d deleted during the outage;"
                + " every remaining pod Running %d ms after the restart (%d ms after the service was"
                + " ready); longest an instance outlived its pod: %d ms; duplicate creates: %d;"
                + " double deletes: %d%n",
            f.pods(),
            f.inCrashWindow(),
            f.deleted(),
            f.fromLaunch().toMillis(),
            f.fromReady().toMillis(),
            f.longestOutlived().toMillis(),
            f.duplicateCreates(),
            f.doubleDeletes());
    LOG.info(text.trim());
    Files.writeString(
        product.workDir().resolve("figures.txt"),
        text,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** What the run measured. */
  private record Figures(
      int pods,
      int inCrashWindow,
      int deleted,
      Duration fromLaunch,
      Duration fromReady,
      Duration longestOutlived,
      long duplicateCreates,
      long doubleDeletes) {}

  /**
   * ECI as the test samples it: for each instance, the pod uid it is tagged with and the first
   * sample that no longer found it, an upper bound of when it ended.
   */
  private static final class Samples {
    private final Map<String, String> podUidById = new ConcurrentHashMap<>();
    private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();
    private volatile Instant lastSampleAt = Instant.EPOCH;

    void sampleSafely(EciCalls calls) {
      try {
        sample(calls.instances());
      } catch (RuntimeException | AssertionError e) {
        LOG.debug("ECI sample failed: {}", e.toString());
      }
    }

    void sample(List<ContainerGroup> instances) {
      Instant now = Instant.now();
      Set<String> present = new HashSet<>();
      for (ContainerGroup group : instances) {
        present.add(group.getContainerGroupId());
        podUidById.put(group.getContainerGroupId(), EciCalls.tag(group, "eci-vnode/pod-uid"));
        missingSince.remove(group.getContainerGroupId());
      }
      podUidById.keySet().stream()
          .filter(id -> !present.contains(id))
          .forEach(id -> missingSince.putIfAbsent(id, now));
      lastSampleAt = now;
    }

    Instant lastSampleAt() {
      return lastSampleAt;
    }

    Set<String> instanceIds() {
      return Set.copyOf(podUidById.keySet());
    }

    /** Of the deleted pods' instances, the longest from the pod's removal to the instance's end. */
    Duration longestOutlived(Map<String, Instant> goneAt) {
      Duration longest = Duration.ZERO;
      for (Map.Entry<String, String> e : podUidById.entrySet()) {
        Instant gone = goneAt.get(e.getValue());
        if (gone == null) {
          continue;
        }
        Instant ended = missingSince.getOrDefault(e.getKey(), Instant.now());
        Duration outlived = Duration.between(gone, ended);
        if (outlived.compareTo(longest) > 0) {
          longest = outlived;
        }
      }
      return longest;
    }

    /** Pods that got more than one instance. */
    long duplicateCreates() {
      return podUidById.values().stream()
          .collect(Collectors.groupingBy(uid -> uid, Collectors.counting()))
          .values()
          .stream()
          .filter(n -> n > 1)
          .count();
    }
  }
}
