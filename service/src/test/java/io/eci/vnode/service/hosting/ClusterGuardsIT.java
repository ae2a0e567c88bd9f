package io.eci.vnode.service.hosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.service.PostgresTestResource;
import io.eci.vnode.service.hosting.ClusterGuards.Boundary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/** One cluster's failing or hanging boundary never costs another cluster anything. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ClusterGuardsIT {

  @Inject ClusterGuards guards;
  @Inject MeterRegistry registry;

  @Test
  void aClusterRegisteredAgainAfterItWasForgottenGetsItsMetersWithoutADuplicateWarning() {
    UUID cluster = UUID.randomUUID();
    String method = "cluster " + cluster + " " + Boundary.API_SERVER;
    List<String> warnings = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            String message = String.valueOf(record.getMessage());
            if (message.contains("already registered")) {
              warnings.add(message);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      guards.call(cluster, Boundary.API_SERVER, String.class, () -> "registered");
      int states =
          registry.find("ft.circuitbreaker.state.total").tag("method", method).meters().size();
      assertThat(states).as("one gauge per breaker state").isPositive();

      guards.forget(cluster);
      assertThat(registry.getMeters())
          .noneMatch(meter -> method.equals(meter.getId().getTag("method")));

      guards.call(cluster, Boundary.API_SERVER, String.class, () -> "registered again");
      assertThat(registry.find("ft.circuitbreaker.state.total").tag("method", method).meters())
          .hasSize(states);
    } finally {
      root.removeHandler(capture);
    }
    assertThat(warnings).isEmpty();
  }

  @Test
  void aTransientFailureIsRetried() {
    UUID cluster = UUID.randomUUID();
    AtomicInteger attempts = new AtomicInteger();

    String answer =
        guards.call(
            cluster,
            Boundary.API_SERVER,
            String.class,
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("connection reset");
              }
              return "ok";
            });

    assertThat(answer).isEqualTo("ok");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void anOpenEciBreakerNamesTheCauseItOpenedForAndKeepsItsCount() {
    UUID cluster = UUID.randomUUID();
    Runnable missing =
        () -> {
          throw new IllegalStateException("vSwitch vsw-gone does not exist in region cn-hangzhou");
        };

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> guards.run(cluster, Boundary.ECI, missing))
          .hasMessageContaining("vsw-gone");
    }
    assertThatThrownBy(() -> guards.run(cluster, Boundary.ECI, missing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("circuit open since ")
        .hasMessageContaining("last cause: vSwitch vsw-gone does not exist");
    EciTrouble.Cause cause = guards.trouble(cluster).snapshot().orElseThrow();
    assertThat(cause.count())
        .as("every attempt that reached VPC, retries included")
        .isGreaterThan(2);
    assertThat(cause.circuitOpenSince()).isNotNull();
    assertThat(cause.firstSeenAt()).isBeforeOrEqualTo(cause.lastSeenAt());

    guards.run(cluster, Boundary.API_SERVER, () -> {});
    assertThat(guards.trouble(cluster).snapshot())
        .as("the API server is another boundary")
        .isPresent();
    guards.forget(cluster);
    assertThat(guards.trouble(cluster).snapshot()).isEmpty();
  }

  @Test
  void aClusterThatKeepsFailingIsCutOffWhileAnotherIsNot() {
    UUID failing = UUID.randomUUID();
    UUID healthy = UUID.randomUUID();
    AtomicInteger attempts = new AtomicInteger();
    Runnable refused =
        () -> {
          attempts.incrementAndGet();
          throw new IllegalStateException("connection refused");
        };

    assertThatThrownBy(() -> guards.run(failing, Boundary.API_SERVER, refused))
        .hasMessageContaining("connection refused");
    assertThatThrownBy(() -> guards.run(failing, Boundary.API_SERVER, refused))
        .isInstanceOfAny(IllegalStateException.class, CircuitBreakerOpenException.class);
    int before = attempts.get();
    assertThatThrownBy(() -> guards.run(failing, Boundary.API_SERVER, refused))
        .isInstanceOf(CircuitBreakerOpenException.class);

    assertThat(attempts.get()).as("an open breaker does not call at all").isEqualTo(before);
    assertThat(guards.call(healthy, Boundary.API_SERVER, String.class, () -> "fine"))
        .isEqualTo("fine");
    assertThat(guards.call(failing, Boundary.ECI, String.class, () -> "its ECI is separate"))
        .isEqualTo("its ECI is separate");
  }

  @Test
  void aClusterWithFourCallsHangingGetsNoFifthWhileAnotherCallsFreely() throws Exception {
    UUID hanging = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(4);
    CompletableFuture<?>[] stuck = new CompletableFuture<?>[4];
    for (int i = 0; i < 4; i++) {
      stuck[i] =
          CompletableFuture.runAsync(
              () ->
                  guards.run(
                      hanging,
                      Boundary.ECI,
                      () -> {
                        entered.countDown();
                        try {
                          release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
    }
    try {
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(() -> guards.run(hanging, Boundary.ECI, () -> {}))
          .isInstanceOf(BulkheadException.class);
      assertThat(guards.call(other, Boundary.ECI, String.class, () -> "not waiting"))
          .isEqualTo("not waiting");
    } finally {
      release.countDown();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> CompletableFuture.allOf(stuck).isDone());
  }
}
