package io.eci.vnode.engine.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The mutating admission webhook as a pure function: an AdmissionReview v1 in, an AdmissionReview
 * v1 out. A pod that goes to ECI gets a JSONPatch that tolerates the virtual node's taint, selects
 * virtual nodes and adds the matching selector's labels and annotations. Every other request is
 * allowed unchanged, and so is a request this handler cannot read: the webhook must never block pod
 * creation in a tenant's cluster.
 */
public final class AdmissionHandler {

  /** The taint every virtual node carries. */
  public static final String TAINT_KEY = "virtual-kubelet.io/provider";

  /** The label every virtual node carries and pods are steered by. */
  public static final String NODE_TYPE_LABEL = "type";

  public static final String NODE_TYPE = "virtual-kubelet";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<String, Map<String, String>> namespaceLabels;
  private final Supplier<EciProfile> profile;

  /**
   * @param namespaceLabels the labels of a namespace (empty when unknown)
   * @param profile the eci-profile in force
   */
  public AdmissionHandler(
      Function<String, Map<String, String>> namespaceLabels, Supplier<EciProfile> profile) {
    this.namespaceLabels = namespaceLabels;
    this.profile = profile;
  }

  /** Answers an AdmissionReview v1 document. */
  public String review(String admissionReview) {
    JsonNode in;
    try {
      in = JSON.readTree(admissionReview);
    } catch (IOException e) {
      return answer(
          "", Optional.empty(), "the AdmissionReview could not be read; allowed unchanged");
    }
    JsonNode request = in.path("request");
    String uid = request.path("uid").asText("");
    if (!"Pod".equals(request.path("kind").path("kind").asText())
        || !"CREATE".equals(request.path("operation").asText())) {
      return answer(uid, Optional.empty(), null);
    }
    Pod pod;
    try {
      pod = JSON.treeToValue(request.path("object"), Pod.class);
    } catch (IOException e) {
      return answer(uid, Optional.empty(), "the pod could not be read; allowed unchanged");
    }
    String namespace = request.path("namespace").asText(pod.getMetadata().getNamespace());
    return Selection.decide(pod, namespaceLabels.apply(namespace), profile.get())
        .map(decision -> answer(uid, Optional.of(patch(pod, decision)), null))
        .orElseGet(() -> answer(uid, Optional.empty(), null));
  }

  private static ArrayNode patch(Pod pod, Selection.Decision decision) {
    ArrayNode ops = JSON.createArrayNode();
    var spec = pod.getSpec();
    boolean tolerated =
        spec.getTolerations().stream()
            .anyMatch(
                t ->
                    TAINT_KEY.equals(t.getKey())
                        || (t.getKey() == null && "Exists".equals(t.getOperator())));
    if (!tolerated) {
      ObjectNode toleration =
          JSON.createObjectNode()
              .put("key", TAINT_KEY)
              .put("operator", "Exists")
              .put("effect", "NoSchedule");
      if (spec.getTolerations().isEmpty()) {
        ops.add(op("add", "/spec/tolerations", JSON.createArrayNode().add(toleration)));
      } else {
        ops.add(op("add", "/spec/tolerations/-", toleration));
      }
    }
    if (spec.getNodeSelector() == null || spec.getNodeSelector().isEmpty()) {
      ops.add(
          op("add", "/spec/nodeSelector", JSON.createObjectNode().put(NODE_TYPE_LABEL, NODE_TYPE)));
    } else {
      ops.add(
          op(
              "add",
              "/spec/nodeSelector/" + escape(NODE_TYPE_LABEL),
              JSON.getNodeFactory().textNode(NODE_TYPE)));
    }
    addAll(ops, "/metadata/labels", pod.getMetadata().getLabels() == null, decision.labels());
    addAll(
        ops,
        "/metadata/annotations",
        pod.getMetadata().getAnnotations() == null,
        decision.annotations());
    return ops;
  }

  private static void addAll(
      ArrayNode ops, String path, boolean absent, Map<String, String> entries) {
    if (entries.isEmpty()) {
      return;
    }
    if (absent) {
      ObjectNode all = JSON.createObjectNode();
      entries.forEach(all::put);
      ops.add(op("add", path, all));
      return;
    }
    entries.forEach(
        (k, v) -> ops.add(op("add", path + "/" + escape(k), JSON.getNodeFactory().textNode(v))));
  }

  private static ObjectNode op(String op, String path, JsonNode value) {
    ObjectNode node = JSON.createObjectNode().put("op", op).put("path", path);
    node.set("value", value);
    return node;
  }

  /** RFC 6901: '~' and '/' in a key are escaped as ~0 and ~1. */
  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String answer(String uid, Optional<ArrayNode> patch, String warning) {
    ObjectNode response = JSON.createObjectNode().put("uid", uid).put("allowed", true);
    patch.ifPresent(
        p ->
            response
                .put("patchType", "JSONPatch")
                .put(
                    "patch",
                    Base64.getEncoder()
                        .encodeToString(p.toString().getBytes(StandardCharsets.UTF_8))));
    if (warning != null) {
      response.putArray("warnings").add(warning);
    }
    ObjectNode review =
        JSON.createObjectNode()
            .put("apiVersion", "admission.k8s.io/v1")
            .put("kind", "AdmissionReview");
    review.set("response", response);
    return review.toString();
  }
}
