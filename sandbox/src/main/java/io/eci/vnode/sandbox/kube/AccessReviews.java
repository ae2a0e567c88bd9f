package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code SelfSubjectAccessReview} and {@code SelfSubjectRulesReview}: the stand-in has no
 * authorization, so every review says "allowed" — permission checks (the service's RBAC validation)
 * pass, as they would for a cluster-admin — except for the verbs on resources a test {@link #refuse
 * refused}, which a review answers "not allowed" as for an account RBAC does not grant them. Only
 * the reviews change: the requests themselves are still served.
 */
final class AccessReviews {

  private final Set<String> refused = ConcurrentHashMap.newKeySet();

  /**
   * Reviews of {@code verb} on {@code resource} (e.g. {@code pods/status}, in any group, namespace
   * and name) answer "not allowed" from now on.
   */
  void refuse(String verb, String resource) {
    refused.add(verb + " " + resource);
  }

  ObjectNode review(ResourceType type, ObjectNode body) {
    ObjectNode review = body.deepCopy();
    review.put("kind", type.kind());
    review.put("apiVersion", type.groupVersion());
    Json.metadata(review);
    ObjectNode status = review.putObject("status");
    if (type.equals(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS)) {
      boolean allowed = !refused.contains(asked(body.path("spec").path("resourceAttributes")));
      status.put("allowed", allowed);
      status.put(
          "reason",
          allowed
              ? "the sandbox API server authorizes every request"
              : "the sandbox API server was told to refuse it");
    } else {
      ObjectNode rule = status.putArray("resourceRules").addObject();
      rule.putArray("verbs").add("*");
      rule.putArray("apiGroups").add("*");
      rule.putArray("resources").add("*");
      ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
      nonResource.putArray("verbs").add("*");
      nonResource.putArray("nonResourceURLs").add("*");
      status.put("incomplete", false);
    }
    return review;
  }

  private static String asked(JsonNode attributes) {
    String subresource = attributes.path("subresource").asText("");
    return attributes.path("verb").asText("")
        + " "
        + attributes.path("resource").asText("")
        + (subresource.isEmpty() ? "" : "/" + subresource);
  }
}
