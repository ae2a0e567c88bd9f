package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The parts of {@code meta/v1 DeleteOptions} the stand-in honours.
 *
 * @param gracePeriodSeconds the requested grace period, or null for the object's own
 * @param uid a UID precondition, or null
 * @param resourceVersion a resourceVersion precondition, or null
 * @param dryRun whether to only report what would happen
 */
record DeleteOptions(Long gracePeriodSeconds, String uid, String resourceVersion, boolean dryRun) {

  /**
   * Options from the request body (a DeleteOptions document) overlaid with the query parameters.
   */
  static DeleteOptions from(String body, Map<String, List<String>> query) {
    JsonNode options = body == null || body.isBlank() ? Json.object() : Json.parse(body, false);
    Long grace =
        options.hasNonNull("gracePeriodSeconds")
            ? options.get("gracePeriodSeconds").asLong()
            : null;
    List<String> graceParam = query.get("gracePeriodSeconds");
    if (graceParam != null && !graceParam.isEmpty()) {
      try {
        grace = Long.parseLong(graceParam.get(0));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("gracePeriodSeconds must be an integer");
      }
    }
    boolean dryRun = query.containsKey("dryRun") || options.path("dryRun").size() > 0;
    JsonNode preconditions = options.path("preconditions");
    return new DeleteOptions(
        grace,
        preconditions.hasNonNull("uid") ? preconditions.get("uid").asText() : null,
        preconditions.hasNonNull("resourceVersion")
            ? preconditions.get("resourceVersion").asText()
            : null,
        dryRun);
  }
}
