package io.eci.vnode.service.hosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceState;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A cluster's ECI guard retries what may succeed later, gives up on what will not, and opens its
 * breaker for that cluster alone. (The wire behind it is covered with the sandbox's ECI in
 * HostingIT; here the delegate fails on purpose.) A Quarkus test: SmallRye's guards need its
 * runtime.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class GuardedInstancesIT {

  @Test
  void throttlingIsRetriedUntilItPasses() {
    AtomicInteger calls = new AtomicInteger();
    ContainerInstances eci =
        new GuardedInstances(
            new Scripted(
                () -> {
                  if (calls.incrementAndGet() <= 2) {
                    throw new EciException(
                        EciException.Kind.THROTTLED, "Throttling.User", "slow down", null);
                  }
                }),
            "throttled",
            new EciTrouble("throttled", Clock.systemUTC()));

    assertThat(eci.statusByTag("cluster", "c")).isEmpty();
    assertThat(calls).hasValue(3);
  }

  @Test
  void anInvalidRequestIsNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    ContainerInstances eci =
        new GuardedInstances(
            new Scripted(
                () -> {
                  calls.incrementAndGet();
                  throw new EciException(
                      EciException.Kind.INVALID_REQUEST, "InvalidParameter", "bad cpu", null);
                }),
            "invalid",
            new EciTrouble("invalid", Clock.systemUTC()));

    assertThatThrownBy(() -> eci.statusByTag("cluster", "c"))
        .isInstanceOfSatisfying(
            EciException.class,
            e -> assertThat(e.kind()).isEqualTo(EciException.Kind.INVALID_REQUEST));
    assertThat(calls).hasValue(1);
  }

  @Test
  void aClusterWhoseEciKeepsFailingIsCutOffWhileAnotherCallsOn() {
    AtomicInteger failing = new AtomicInteger();
    ContainerInstances broken =
        new GuardedInstances(
            new Scripted(
                () -> {
                  failing.incrementAndGet();
                  throw new EciException(
                      EciException.Kind.TRANSIENT, "ServiceUnavailable", "503", null);
                }),
            "broken",
            new EciTrouble("broken", Clock.systemUTC()));
    ContainerInstances healthy =
        new GuardedInstances(
            new Scripted(() -> {}), "healthy", new EciTrouble("healthy", Clock.systemUTC()));

    // Ten transient failures in a row (two calls of five retries each) open the breaker.
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> broken.statusByTag("cluster", "b")).isInstanceOf(EciException.class);
    }
    int before = failing.get();
    assertThatThrownBy(() -> broken.statusByTag("cluster", "b"))
        .isInstanceOfSatisfying(
            EciException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(EciException.Kind.TRANSIENT);
              assertThat(e.code()).isEqualTo("CircuitOpen");
            });

    assertThat(failing.get()).as("an open breaker does not call ECI").isEqualTo(before);
    assertThat(healthy.statusByTag("cluster", "h")).isEmpty();
  }

  /** A delegate whose status call runs {@code behaviour} and then answers with nothing. */
  private record Scripted(Runnable behaviour) implements ContainerInstances {
    @Override
    public String create(CreateInstance create) {
      behaviour.run();
      return "eci-1";
    }

    @Override
    public List<Instance> describeByTag(String key, String value) {
      behaviour.run();
      return List.of();
    }

    @Override
    public List<InstanceState> statusByTag(String key, String value) {
      behaviour.run();
      return List.of();
    }

    @Override
    public List<Instance> describeByIds(List<String> ids) {
      behaviour.run();
      return List.of();
    }

    @Override
    public void delete(String instanceId) {
      behaviour.run();
    }
  }
}
