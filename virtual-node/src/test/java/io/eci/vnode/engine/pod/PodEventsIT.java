package io.eci.vnode.engine.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.engine.threads.EngineThreads;
import io.eci.vnode.sandbox.Cluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodEventsIT {

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private Cluster cluster;
  private KubernetesClient client;
  private EngineThreads threads;
  private PodEvents events;

  @BeforeEach
  void start() {
    cluster = Cluster.forTests(getClass().getSimpleName());
    client = cluster.client();
    threads = EngineThreads.create("events-test", 2);
    events =
        new PodEvents(client, "virtual-kubelet-cn-hangzhou-b", "c1", threads.lane("events", 2));
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (threads != null) {
      threads.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theSameEventAgainCountsOnTheEventAlreadyWritten() {
    Pod pod = pod("web");

    for (int i = 0; i < 5; i++) {
      events.warning(pod, "ConfigMapMissing", "configmap \"settings\" not found");
    }

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              List<Event> written = eventsOn(pod);
              assertThat(written).hasSize(1);
              Event event = written.get(0);
              assertThat(event.getCount()).isEqualTo(5);
              assertThat(event.getType()).isEqualTo("Warning");
              assertThat(event.getMessage()).isEqualTo("configmap \"settings\" not found");
              assertThat(Instant.parse(event.getLastTimestamp()))
                  .isAfterOrEqualTo(Instant.parse(event.getFirstTimestamp()));
            });

    events.warning(pod, "ConfigMapMissing", "configmap \"settings\" not found");
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(eventsOn(pod)).hasSize(1);
              assertThat(eventsOn(pod).get(0).getCount()).isEqualTo(6);
            });
  }

  @Test
  void anotherMessageReasonOrPodIsAnEventOfItsOwn() {
    Pod web = pod("web");
    Pod api = pod("api");

    events.warning(web, "ConfigMapMissing", "configmap \"a\" not found");
    events.warning(web, "ConfigMapMissing", "configmap \"b\" not found");
    events.normal(web, "InstanceCreated", "ECI instance eci-1 created");
    events.warning(api, "ConfigMapMissing", "configmap \"a\" not found");

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(eventsOn(web))
                  .extracting(Event::getMessage)
                  .containsExactlyInAnyOrder(
                      "configmap \"a\" not found",
                      "configmap \"b\" not found",
                      "ECI instance eci-1 created");
              assertThat(eventsOn(api)).extracting(Event::getCount).containsExactly(1);
            });
  }

  @Test
  void anEventThatExpiredMeanwhileIsWrittenAgainWithTheWholeCount() {
    Pod pod = pod("web");
    events.warning(pod, "Throttled", "ECI throttled the create; retrying");
    await().atMost(DEADLINE).until(() -> eventsOn(pod).size() == 1);
    client.v1().events().inNamespace("default").delete();
    await().atMost(DEADLINE).until(() -> eventsOn(pod).isEmpty());

    events.warning(pod, "Throttled", "ECI throttled the create; retrying");

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> assertThat(eventsOn(pod)).extracting(Event::getCount).containsExactly(2));
  }

  @Test
  void moreDistinctEventsAtOnceThanRememberedAreAllWrittenThenForgotten() {
    Pod pod = pod("web");
    int count = PodEvents.REMEMBERED + 50;

    for (int i = 0; i < count; i++) {
      events.normal(pod, "InstanceCreated", "ECI instance eci-" + i + " created");
    }

    // over a thousand writes to etcd on two lanes: minutes on a busy two-core machine, and each
    // look lists them all, so look once a second
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> eventsOn(pod).size() == count);
    await().atMost(DEADLINE).until(() -> events.remembered() == PodEvents.REMEMBERED);
  }

  private List<Event> eventsOn(Pod pod) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> pod.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
        .toList();
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .withUid(UUID.randomUUID().toString())
        .endMetadata()
        .build();
  }
}
