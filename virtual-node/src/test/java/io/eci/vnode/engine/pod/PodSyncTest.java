package io.eci.vnode.engine.pod;

import static io.eci.vnode.engine.pod.fake.FakeContainerInstances.CREATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.pod.fake.NoSockets;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** syncPodsFromKubernetes: which bound pods get an instance, which are adopted or failed. */
@ExtendWith(NoSockets.class)
class PodSyncTest {

  private final FakeNode node = new FakeNode();

  @Test
  void aBoundPodGetsOneInstanceWhoseClientTokenIsItsUid() {
    Pod pod = node.bound("web");

    node.settle();

    assertThat(node.eci.calls(CREATE)).isEqualTo(1);
    assertThat(node.eci.creates().get(0).clientToken()).isEqualTo(pod.getMetadata().getUid());
    assertThat(node.known.instanceOf(pod.getMetadata().getUid())).contains("eci-1");
    assertThat(node.events.withReason("InstanceCreated"))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).isEqualTo("ECI instance eci-1 created"));
  }

  @Test
  void aPodSyncedAgainAfterItsCreateMakesNoSecondInstance() {
    node.bound("web");
    node.settle();

    node.change("web", b -> b.editMetadata().addToLabels("tier", "front").endMetadata());
    node.settle();

    assertThat(node.eci.calls(CREATE)).isEqualTo(1);
    assertThat(node.eci.instances()).hasSize(1);
  }

  @Test
  void aPodWithAnInstanceRecordedByAnEarlierOwnerIsAdoptedNotCreated() {
    Pod pod =
        node.bound(
            TestPods.labelledBuilder("web")
                .editMetadata()
                .addToAnnotations(PodController.INSTANCE_ANNOTATION, "eci-earlier")
                .endMetadata());

    node.settle();

    assertThat(node.eci.calls(CREATE)).isZero();
    assertThat(node.known.instanceOf(pod.getMetadata().getUid())).contains("eci-earlier");
  }

  @Test
  void aPodEciCannotRunFailsWithTheReasonsAndAnEvent() {
    node.bound(TestPods.labelledBuilder("sniffer").editSpec().withHostNetwork(true).endSpec());

    node.settle();

    assertThat(node.phase("sniffer")).isEqualTo("Failed");
    assertThat(node.pods.pod("sniffer").getStatus().getReason()).isEqualTo("UnsupportedPodSpec");
    assertThat(node.pods.pod("sniffer").getStatus().getMessage()).contains("hostNetwork");
    assertThat(node.events.withReason("UnsupportedPodSpec")).hasSize(1);
    assertThat(node.eci.calls(CREATE)).isZero();
  }

  @Test
  void aPodWaitingForAConfigMapIsRequeuedLaterWithAWarningEventAndNoFailure() {
    node.bound(withConfigMap("web", "settings"));

    node.settle();

    assertThat(node.syncs.outcomes()).last().satisfies(o -> assertThat(o.requeues()).isTrue());
    assertThat(node.syncs.failures()).isEmpty();
    assertThat(node.syncs.waiting()).containsExactly("default/web");
    assertThat(node.events.withReason("WaitingForReferences"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("Warning");
              assertThat(e.message()).contains("settings");
            });
    assertThat(node.phase("web")).isNull();
    assertThat(node.eci.calls(CREATE)).isZero();
  }

  @Test
  void aPodWaitingForAConfigMapRecordsTheSameEventOnEveryAttempt() {
    node.bound(withConfigMap("web", "settings"));
    node.settle();

    node.syncs.retry();
    node.settle();

    // PodEvents counts repeats of one Event on the Event already written (x2).
    assertThat(node.events.withReason("WaitingForReferences"))
        .hasSize(2)
        .extracting(e -> e.message())
        .containsOnly(node.events.withReason("WaitingForReferences").get(0).message());
  }

  @Test
  void aPodWhoseConfigMapAppearsGetsItsInstanceOnTheNextAttempt() {
    node.bound(withConfigMap("web", "settings"));
    node.settle();

    node.references.addConfigMap("default", "settings", Map.of("mode", "fast"));
    node.syncs.retry();
    node.settle();

    assertThat(node.eci.calls(CREATE)).isEqualTo(1);
    assertThat(node.syncs.waiting()).isEmpty();
  }

  @Test
  void aThrottledCreateFailsTheAttemptSoTheQueueRetriesIt() {
    node.eci.failNext(CREATE, EciException.Kind.THROTTLED);
    node.bound("web");
    node.settle();

    assertThat(node.syncs.failures()).singleElement().isInstanceOf(EciException.class);
    assertThat(node.phase("web")).isNull();

    node.syncs.retry();
    node.settle();

    assertThat(node.eci.instances()).hasSize(1);
  }

  @Test
  void aCreateEciRefusesFailsThePodWithProviderFailed() {
    node.eci.failNext(CREATE, EciException.Kind.INVALID_REQUEST);
    node.bound("web");

    node.settle();

    assertThat(node.phase("web")).isEqualTo("Failed");
    assertThat(node.pods.pod("web").getStatus().getReason()).isEqualTo("ProviderFailed");
    assertThat(node.events.withReason("ProviderFailed")).hasSize(1);
    assertThat(node.syncs.waiting()).isEmpty();
  }

  @Test
  void aCreateRefusedForLackOfStockFailsThePodWithNoStock() {
    node.eci.failNext(CREATE, EciException.Kind.NO_STOCK);
    node.bound("web");

    node.settle();

    assertThat(node.pods.pod("web").getStatus().getReason()).isEqualTo("NoStock");
  }

  @Test
  void aPodThatHasEndedGetsNoInstance() {
    node.bound(TestPods.labelledBuilder("job").withNewStatus().withPhase("Succeeded").endStatus());

    node.settle();

    assertThat(node.eci.calls(CREATE)).isZero();
  }

  @Test
  void nothingIsCreatedWhileTheEngineDoesNotOwnTheCluster() {
    node.owner.set(false);
    node.bound("web");

    node.settle();

    assertThat(node.eci.calls(CREATE)).isZero();
    assertThat(node.events.all()).isEmpty();
  }

  @Test
  void eachCreatedInstanceReportsHowLongItsPodWaited() {
    node.bound("web");
    node.bound("api");

    node.settle();

    assertThat(node.createLatencies).hasSize(2).allSatisfy(d -> assertThat(d).isPositive());
  }

  @Test
  void aPodNoLongerInTheCacheIsLeftAlone() {
    node.syncs.enqueue("default/gone");

    node.settle();

    assertThat(node.eci.calls(CREATE)).isZero();
    assertThat(node.syncs.failures()).isEmpty();
  }

  private static PodBuilder withConfigMap(String pod, String map) {
    return TestPods.labelledBuilder(pod)
        .editSpec()
        .editFirstContainer()
        .addNewEnvFrom()
        .withNewConfigMapRef()
        .withName(map)
        .endConfigMapRef()
        .endEnvFrom()
        .endContainer()
        .endSpec();
  }
}
