package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchHubTest {

  private final WatchHub hub = new WatchHub(2);
  private final ObjectFilter allPods =
      new ObjectFilter(
          ResourceTypes.PODS, null, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING);

  @Test
  void watchOlderThanTheHistoryGetsExpiredAndIsClosed() {
    for (long version = 1; version <= 5; version++) {
      hub.publish(
          new WatchHub.Change(ResourceTypes.PODS, null, pod("p" + version, version), version));
    }
    Recording sink = new Recording();

    hub.subscribe(allPods, sink, 1L, List.of());

    assertThat(sink.events).hasSize(1);
    assertThat(sink.events.get(0)).startsWith("ERROR 410 Expired");
    assertThat(sink.closed).isTrue();
  }

  @Test
  void watchWithinTheHistoryReplaysWhatItMissed() {
    for (long version = 1; version <= 5; version++) {
      hub.publish(
          new WatchHub.Change(ResourceTypes.PODS, null, pod("p" + version, version), version));
    }
    Recording sink = new Recording();

    hub.subscribe(allPods, sink, 3L, List.of());

    assertThat(sink.events).containsExactly("ADDED p4", "ADDED p5");
  }

  @Test
  void changesOfOtherTypesAreNotDelivered() {
    Recording sink = new Recording();
    hub.subscribe(allPods, sink, null, List.of());

    hub.publish(new WatchHub.Change(ResourceTypes.NODES, null, pod("n", 1), 1));

    assertThat(sink.events).isEmpty();
  }

  private static ObjectNode pod(String name, long version) {
    ObjectNode pod = Json.object();
    Json.metadata(pod)
        .put("name", name)
        .put("namespace", "default")
        .put("resourceVersion", Long.toString(version));
    return pod;
  }

  private static final class Recording implements WatchHub.Sink {
    final List<String> events = new ArrayList<>();
    boolean closed;

    @Override
    public void send(String type, ObjectNode object) {
      events.add(
          type.equals("ERROR")
              ? type + " " + object.path("code").asInt() + " " + object.path("reason").asText()
              : type + " " + Json.text(object, "metadata", "name"));
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
