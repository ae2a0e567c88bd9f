package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code SelfSubjectAccessReview} and {@code SelfSubjectRulesReview}: the stand-in has no
 * authorization, so every review says "allowed" — permission checks (the service's RBAC validation)
 * pass, as they would for a cluster-admin.
 */
final class AccessReviews {

  private AccessReviews() {}

  static ObjectNode review(ResourceType type, ObjectNode body) {
    ObjectNode review = body.deepCopy();
    review.put("kind", type.kind());
    review.put("apiVersion", type.groupVersion());
    Json.metadata(review);
    ObjectNode status = review.putObject("status");
    if (type.equals(ResourceTypes.SELF_SUBJECT_ACCESS_REVIEWS)) {
      status.put("allowed", true);
      status.put("reason", "the sandbox API server authorizes every request");
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
}
