package io.eci.vnode.engine.selection;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which pods go to ECI: those labelled {@code alibabacloud.com/eci=true}, those in a namespace so
 * labelled, and those an eci-profile selector matches. DaemonSet pods never do. A pure function.
 */
public final class Selection {

  /** The label that sends a pod (or every pod of a namespace) to ECI. */
  public static final String ECI_LABEL = "alibabacloud.com/eci";

  private Selection() {}

  /**
   * Why a pod goes to ECI, and what to add to it.
   *
   * @param because {@code pod-label}, {@code namespace-label} or {@code selector:<name>}
   * @param labels labels to add where the pod has none of that key
   * @param annotations annotations to add where the pod has none of that key
   */
  public record Decision(
      String because, Map<String, String> labels, Map<String, String> annotations) {}

  /** The decision for a pod, or empty if it stays off ECI. */
  public static Optional<Decision> decide(
      Pod pod, Map<String, String> namespaceLabels, EciProfile profile) {
    boolean daemonSet =
        pod.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> "DaemonSet".equals(o.getKind()));
    if (daemonSet) {
      return Optional.empty();
    }
    Map<String, String> podLabels =
        pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    String because = null;
    if ("true".equals(podLabels.get(ECI_LABEL))) {
      because = "pod-label";
    } else if ("true".equals(namespaceLabels.get(ECI_LABEL))) {
      because = "namespace-label";
    }
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    boolean matchedSelector = false;
    for (EciProfile.Selector s : profile.selectors()) {
      if (s.selectsByItself() && !matchedSelector && s.matches(namespaceLabels, podLabels)) {
        matchedSelector = true;
        because = because == null ? "selector:" + s.name() : because;
        addAbsent(labels, s.effectLabels());
        addAbsent(annotations, s.effectAnnotations());
      }
    }
    if (because == null) {
      return Optional.empty();
    }
    for (EciProfile.Selector s : profile.selectors()) {
      if (!s.selectsByItself()) {
        addAbsent(labels, s.effectLabels());
        addAbsent(annotations, s.effectAnnotations());
      }
    }
    Map<String, String> podAnnotations =
        pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
    labels.keySet().removeAll(podLabels.keySet());
    annotations.keySet().removeAll(podAnnotations.keySet());
    return Optional.of(new Decision(because, labels, annotations));
  }

  private static void addAbsent(Map<String, String> into, Map<String, String> from) {
    from.forEach(into::putIfAbsent);
  }
}
