package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceState;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the status poll turns what ECI reports into pod writes. */
class StatusPollScenarioIT {

  @RegisterExtension final EngineFixture fixture = EngineFixture.create();

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int PODS = 25; // two describe pages of at most 20

  @Test
  void aPodsStatusIsWrittenOnceItsPageIsDescribedWithoutWaitingForTheOtherPages() {
    SecondPageHeld instances = new SecondPageHeld(Engines.instances(fixture.eci()));
    fixture.closeAfter(
        new VirtualNode(
                fixture.client(),
                Engines.config(List.of("vsw-b")),
                Engines.IDENTITY,
                instances,
                Engines.fastOptions("engine-a"))
            .start());

    for (int i = 0; i < PODS; i++) {
      fixture
          .client()
          .pods()
          .inNamespace("default")
          .resource(TestPods.labelled("web-" + i))
          .create();
    }

    assertThat(instances.firstPageShownWhileSecondHeld).succeedsWithin(DEADLINE).isEqualTo(true);
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                fixture.client().pods().inNamespace("default").list().getItems().stream()
                        .filter(p -> "Running".equals(p.getStatus().getPhase()))
                        .count()
                    == PODS);
  }

  /**
   * Holds the status poll until every pod's instance exists (so one poll describes them in two
   * pages), then holds that poll's second describe until the first page's pods show their instance,
   * or ten seconds pass.
   */
  private final class SecondPageHeld implements ContainerInstances {
    final CompletableFuture<Boolean> firstPageShownWhileSecondHeld = new CompletableFuture<>();
    private final AtomicBoolean secondPageHeld = new AtomicBoolean();
    private final AtomicInteger describesThisPoll = new AtomicInteger();
    private final ContainerInstances delegate;

    SecondPageHeld(ContainerInstances delegate) {
      this.delegate = delegate;
    }

    @Override
    public List<InstanceState> statusByTag(String key, String value) {
      if (!secondPageHeld.get()) {
        await().atMost(DEADLINE).until(() -> fixture.eci().instanceCount() == PODS);
      }
      describesThisPoll.set(0);
      return delegate.statusByTag(key, value);
    }

    @Override
    public List<Instance> describeByIds(List<String> ids) {
      if (describesThisPoll.incrementAndGet() == 2 && !secondPageHeld.getAndSet(true)) {
        try {
          await().atMost(Duration.ofSeconds(10)).until(() -> podsShowingTheirInstance() >= 20);
          firstPageShownWhileSecondHeld.complete(true);
        } catch (ConditionTimeoutException e) {
          firstPageShownWhileSecondHeld.complete(false);
        }
      }
      return delegate.describeByIds(ids);
    }

    private long podsShowingTheirInstance() {
      return fixture.client().pods().inNamespace("default").list().getItems().stream()
          .map(Pod::getMetadata)
          .filter(m -> m.getAnnotations() != null)
          .filter(m -> m.getAnnotations().containsKey("k8s.aliyun.com/eci-instance-id"))
          .count();
    }

    @Override
    public String create(CreateInstance create) {
      return delegate.create(create);
    }

    @Override
    public List<Instance> describeByTag(String key, String value) {
      return delegate.describeByTag(key, value);
    }

    @Override
    public void delete(String instanceId) {
      delegate.delete(instanceId);
    }
  }
}
