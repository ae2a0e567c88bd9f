package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The fields a real API server fills into every pod: the v1 defaulting functions ({@code
 * SetDefaults_PodSpec}, {@code SetDefaults_Container}) plus what the default admission chain adds
 * (ServiceAccount, Priority, DefaultTolerationSeconds). Not emulated: the projected service-account
 * token volume and its mounts.
 */
final class PodDefaults {

  private static final List<String> CONTAINER_LISTS =
      List.of("initContainers", "containers", "ephemeralContainers");
  private static final List<String> QOS_RESOURCES = List.of("cpu", "memory");

  private PodDefaults() {}

  static void apply(ObjectNode pod) {
    ObjectNode spec = Json.child(pod, "spec");
    putIfAbsent(spec, "restartPolicy", "Always");
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    putIfAbsent(spec, "serviceAccountName", "default");
    putIfAbsent(spec, "serviceAccount", spec.path("serviceAccountName").asText());
    if (!spec.has("terminationGracePeriodSeconds")) {
      spec.put("terminationGracePeriodSeconds", 30);
    }
    if (!spec.has("enableServiceLinks")) {
      spec.put("enableServiceLinks", true);
    }
    if (!spec.has("priority")) {
      spec.put("priority", 0);
    }
    putIfAbsent(spec, "preemptionPolicy", "PreemptLowerPriority");
    Json.child(spec, "securityContext");
    addDefaultToleration(spec, "node.kubernetes.io/not-ready");
    addDefaultToleration(spec, "node.kubernetes.io/unreachable");
    for (String list : CONTAINER_LISTS) {
      if (spec.get(list) instanceof ArrayNode containers) {
        containers.forEach(c -> applyToContainer((ObjectNode) c));
      }
    }
  }

  /** The QoS class the kubelet would give the pod, from its cpu and memory requests and limits. */
  static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode container : spec.path(list)) {
        JsonNode requests = container.path("resources").path("requests");
        JsonNode limits = container.path("resources").path("limits");
        for (String resource : QOS_RESOURCES) {
          String request = requests.path(resource).asText("");
          String limit = limits.path(resource).asText("");
          any |= !request.isEmpty() || !limit.isEmpty();
          guaranteed &= !limit.isEmpty() && (request.isEmpty() || request.equals(limit));
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }

  private static void applyToContainer(ObjectNode container) {
    putIfAbsent(container, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(container, "terminationMessagePolicy", "File");
    putIfAbsent(container, "imagePullPolicy", pullPolicy(container.path("image").asText("")));
    ObjectNode resources = Json.child(container, "resources");
    if (resources.get("limits") instanceof ObjectNode limits) {
      ObjectNode requests = Json.child(resources, "requests");
      limits.fields().forEachRemaining(l -> requests.putIfAbsent(l.getKey(), l.getValue()));
    }
    for (JsonNode port : container.path("ports")) {
      if (port instanceof ObjectNode object) {
        putIfAbsent(object, "protocol", "TCP");
      }
    }
  }

  /** {@code Always} for {@code :latest} or an untagged image, else {@code IfNotPresent}. */
  static String pullPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    String lastSegment = image.substring(image.lastIndexOf('/') + 1);
    int colon = lastSegment.lastIndexOf(':');
    String tag = colon < 0 ? "" : lastSegment.substring(colon + 1);
    return tag.isEmpty() || tag.equals("latest") ? "Always" : "IfNotPresent";
  }

  private static void addDefaultToleration(ObjectNode spec, String key) {
    ArrayNode tolerations =
        spec.get("tolerations") instanceof ArrayNode list ? list : spec.putArray("tolerations");
    for (JsonNode toleration : tolerations) {
      String effect = toleration.path("effect").asText("");
      boolean coversKey = toleration.path("key").asText("").equals(key) || !toleration.has("key");
      if (coversKey && (effect.isEmpty() || effect.equals("NoExecute"))) {
        return;
      }
    }
    ObjectNode toleration = tolerations.addObject();
    toleration.put("key", key);
    toleration.put("operator", "Exists");
    toleration.put("effect", "NoExecute");
    toleration.put("tolerationSeconds", 300);
  }

  private static void putIfAbsent(ObjectNode node, String field, String value) {
    if (node.path(field).asText("").isEmpty()) {
      node.put(field, value);
    }
  }
}
