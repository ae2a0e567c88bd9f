package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Locale;

/** The PATCH body formats a real API server accepts, picked by the request's Content-Type. */
enum PatchType {
  JSON("application/json-patch+json"),
  MERGE("application/merge-patch+json"),
  STRATEGIC("application/strategic-merge-patch+json"),
  /**
   * Server-side apply. The stand-in treats the applied configuration as a strategic merge into the
   * live object (creating it when absent); it records no managed fields and never reports
   * field-manager conflicts.
   */
  APPLY("application/apply-patch+yaml");

  private final String mediaType;

  PatchType(String mediaType) {
    this.mediaType = mediaType;
  }

  static PatchType of(String contentType) {
    String media =
        contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    for (PatchType type : values()) {
      if (type.mediaType.equals(media)) {
        return type;
      }
    }
    throw ApiException.unsupportedMediaType(contentType);
  }

  /**
   * The patched copy of {@code current}.
   *
   * @throws IllegalArgumentException when the patch cannot be applied (a failed JSON-patch test, a
   *     bad path)
   */
  ObjectNode apply(ObjectNode current, String body) {
    JsonNode patch = Json.parse(body, this == APPLY);
    JsonNode result =
        switch (this) {
          case JSON -> {
            if (!patch.isArray()) {
              throw ApiException.badRequest("a JSON patch must be a JSON array of operations");
            }
            try {
              yield JsonPatch.apply(patch, current);
            } catch (RuntimeException e) {
              throw new IllegalArgumentException(e.getMessage(), e);
            }
          }
          case MERGE -> JsonMergePatch.apply(current, patch);
          case STRATEGIC, APPLY -> {
            if (!patch.isObject()) {
              throw ApiException.badRequest("the patch must be a JSON object");
            }
            yield StrategicMergePatch.apply(current, (ObjectNode) patch);
          }
        };
    if (!(result instanceof ObjectNode object)) {
      throw new IllegalArgumentException("the patched document is not an object");
    }
    return object;
  }

  /** Parses the body of an apply request as the object to create when none exists yet. */
  ObjectNode appliedObject(String body) {
    return Json.parseObject(body, true);
  }
}
