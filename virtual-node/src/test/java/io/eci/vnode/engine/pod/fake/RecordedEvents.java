package io.eci.vnode.engine.pod.fake;

import io.eci.vnode.engine.pod.EventRecorder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/** The Events the engine recorded on pods, in order, instead of writing them. */
public final class RecordedEvents implements EventRecorder {

  /** One Event as it would be shown on the pod. */
  public record Recorded(String pod, String type, String reason, String message) {}

  private final List<Recorded> recorded = new ArrayList<>();

  @Override
  public synchronized void normal(Pod pod, String reason, String message) {
    recorded.add(new Recorded(pod.getMetadata().getName(), "Normal", reason, message));
  }

  @Override
  public synchronized void warning(Pod pod, String reason, String message) {
    recorded.add(new Recorded(pod.getMetadata().getName(), "Warning", reason, message));
  }

  public synchronized List<Recorded> all() {
    return List.copyOf(recorded);
  }

  /** The Events with this reason, in order. */
  public synchronized List<Recorded> withReason(String reason) {
    return recorded.stream().filter(e -> e.reason().equals(reason)).toList();
  }
}
