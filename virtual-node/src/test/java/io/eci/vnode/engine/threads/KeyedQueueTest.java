package io.eci.vnode.engine.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.pod.fake.NoSockets;
import io.eci.vnode.engine.threads.KeyedQueue.Outcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the queue does with a handler's outcome. */
@ExtendWith(NoSockets.class)
class KeyedQueueTest {

  private final EngineThreads threads = EngineThreads.create("keyed-queue-test", 2);

  @AfterEach
  void stop() {
    threads.close();
  }

  @Test
  void aKeyThatAsksToWaitIsTriedAgainAfterABackOffUntilItIsDone() {
    AtomicInteger attempts = new AtomicInteger();
    KeyedQueue queue =
        new KeyedQueue(
            "test",
            "c1",
            threads.lane("test", 1),
            key ->
                attempts.incrementAndGet() < 2
                    ? Outcome.requeueLater("configmap \"settings\"")
                    : Outcome.done());

    queue.enqueue("default/web");

    await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 2);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> attempts.get() == 2);
  }

  @Test
  void theBackOffDoublesFromFourHundredMillisecondsAndStopsAtThirtySeconds() {
    assertThat(KeyedQueue.backOff(1)).isEqualTo(Duration.ofMillis(400));
    assertThat(KeyedQueue.backOff(2)).isEqualTo(Duration.ofMillis(800));
    assertThat(KeyedQueue.backOff(8)).isEqualTo(KeyedQueue.MAX_BACK_OFF);
    assertThat(KeyedQueue.backOff(100)).isEqualTo(KeyedQueue.MAX_BACK_OFF);
  }

  @Test
  void aHandlerThatOnlyConsumesIsDoneWithTheKeyUnlessItThrows() {
    AtomicInteger attempts = new AtomicInteger();
    KeyedQueue queue =
        new KeyedQueue(
            "test",
            "c1",
            threads.lane("test", 1),
            (String key) -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
              }
            });

    queue.enqueue("default/web");

    await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 2);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> attempts.get() == 2);
  }
}
