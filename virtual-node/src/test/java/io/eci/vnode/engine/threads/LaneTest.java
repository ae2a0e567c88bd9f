package io.eci.vnode.engine.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LaneTest {

  private final EngineThreads threads = EngineThreads.create("lane-test", 8);

  @AfterEach
  void stop() {
    threads.close();
  }

  @Test
  void aLaneNeverRunsMoreThanItsLimitAtOnce() {
    Lane lane = threads.lane("limited", 2);
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < 10; i++) {
      lane.execute(
          () -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            waitFor(release);
            now.decrementAndGet();
            done.incrementAndGet();
          });
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> now.get() == 2);
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> done.get() == 10);
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void aBlockedLaneDoesNotHoldUpAnotherOnTheSameWorkers() {
    Lane stuck = threads.lane("stuck", 2);
    Lane healthy = threads.lane("healthy", 2);
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < 20; i++) {
      stuck.execute(() -> waitFor(never));
    }
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < 20; i++) {
      healthy.execute(done::incrementAndGet);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> done.get() == 20);
    never.countDown();
  }

  @Test
  void tasksOfAOneWideLaneRunInSubmissionOrder() {
    Lane lane = threads.lane("ordered", 1);
    List<Integer> order = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 100; i++) {
      int n = i;
      lane.execute(() -> order.add(n));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 100);
    assertThat(order).isSorted();
  }

  @Test
  void aScheduledTaskRunsOnTheLaneAfterItsDelay() {
    Lane lane = threads.lane("later", 1);
    List<String> ranOn = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    lane.schedule(() -> ranOn.add(Thread.currentThread().getName()), Duration.ofMillis(100));
    await().atMost(Duration.ofSeconds(5)).until(() -> ranOn.size() == 1);
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(ranOn.get(0)).startsWith("lane-test-worker-");
  }

  @Test
  void aRunThatComesDueWhileTheLastOneRunsStartsOnceWhenItEnds() throws Exception {
    ManualTimer timer = new ManualTimer();
    var workers = Executors.newFixedThreadPool(4);
    try {
      Lane lane = new Lane("poll", workers, timer, 4);
      CountDownLatch firstStarted = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger runs = new AtomicInteger();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger mostAtOnce = new AtomicInteger();
      lane.scheduleEvery(
          () -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            if (runs.incrementAndGet() == 1) {
              firstStarted.countDown();
              waitFor(release);
            }
            running.decrementAndGet();
          },
          Duration.ofSeconds(1));

      timer.tick();
      waitFor(firstStarted);
      timer.tick();
      timer.tick();
      release.countDown();

      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2 && running.get() == 0);
      timer.tick();
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 3 && running.get() == 0);
      assertThat(mostAtOnce).hasValue(1);
    } finally {
      workers.shutdownNow();
      timer.shutdownNow();
    }
  }

  /** A timer whose periodic task runs only when the test says so. */
  private static final class ManualTimer extends ScheduledThreadPoolExecutor {
    private volatile Runnable periodic;

    ManualTimer() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      periodic = command;
      return schedule(() -> {}, 1, TimeUnit.DAYS);
    }

    void tick() {
      periodic.run();
    }
  }

  @Test
  void aClosedLaneRefusesWorkAndDropsWhatItHadNotStarted() {
    Lane lane = threads.lane("closing", 1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    lane.execute(() -> waitFor(release));
    lane.execute(ran::incrementAndGet);
    lane.close();
    release.countDown();
    assertThatThrownBy(() -> lane.execute(ran::incrementAndGet))
        .isInstanceOf(RejectedExecutionException.class);
    Lane other = threads.lane("after", 1);
    AtomicInteger probe = new AtomicInteger();
    other.execute(probe::incrementAndGet);
    await().atMost(Duration.ofSeconds(5)).until(() -> probe.get() == 1);
    assertThat(ran.get()).isZero();
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
