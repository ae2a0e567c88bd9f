package io.eci.vnode.service.hosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PollingTest {

  private static final Duration EVERY = Duration.ofMillis(5);

  private final Polling polling = new Polling("polling-test", 1);

  @AfterEach
  void stop() {
    polling.close();
  }

  @Test
  void returnsTheFirstAnswerAndStopsAsking() {
    AtomicInteger asked = new AtomicInteger();

    Optional<String> answer =
        polling.until(
            EVERY,
            Instant.now().plusSeconds(10),
            () -> asked.incrementAndGet() < 3 ? Optional.empty() : Optional.of("gone"));

    assertThat(answer).contains("gone");
    assertThat(asked).hasValue(3);
  }

  @Test
  void answersNothingOnceTheDeadlinePassed() {
    Instant deadline = Instant.now().plusMillis(100);

    Optional<String> answer = polling.until(EVERY, deadline, Optional::empty);

    assertThat(answer).isEmpty();
    assertThat(Instant.now()).isAfterOrEqualTo(deadline);
  }

  @Test
  void endsTheWaitWithWhatTheCheckThrew() {
    assertThatThrownBy(
            () ->
                polling.until(
                    EVERY,
                    Instant.now().plusSeconds(10),
                    () -> {
                      throw new IllegalArgumentException("ECI said no");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ECI said no");
  }
}
