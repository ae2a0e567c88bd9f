package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The checks a written document passes before anything of it is stored, as a real server's. */
final class ObjectChecks {

  private ObjectChecks() {}

  /**
   * Fills in the type's kind and apiVersion.
   *
   * @throws ApiException 400 when the document names another kind
   */
  static void checkKind(ResourceType type, ObjectNode object) {
    String kind = object.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiException.badRequest(
          "the kind of the object ("
              + kind
              + ") does not match the resource ("
              + type.qualifiedPlural()
              + ")");
    }
    object.put("kind", type.kind());
    object.put("apiVersion", type.groupVersion());
  }

  /**
   * Rejects a document the typed Kubernetes model cannot decode (a string where a list belongs,
   * ...) with 400, as the API server's decoder does, before defaulting or storing touches it.
   */
  static void requireDecodable(ResourceType type, ObjectNode object) {
    ObjectNode typed = object.deepCopy();
    typed.put("kind", type.kind());
    typed.put("apiVersion", type.groupVersion());
    try {
      Serialization.unmarshal(Json.write(typed), KubernetesResource.class);
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw ApiException.badRequest(
          type.kind()
              + " in version \""
              + type.version()
              + "\" cannot be handled as a "
              + type.kind()
              + ": "
              + cause.getMessage().lines().findFirst().orElse(""));
    }
  }

  /**
   * @throws ApiException 409 Conflict when {@code proposed} names a resourceVersion other than the
   *     stored one (none names no precondition)
   */
  static void requireFreshVersion(ResourceType type, ObjectNode current, JsonNode proposed) {
    String wanted = Json.text(proposed, "metadata", "resourceVersion");
    if (!wanted.isEmpty() && !wanted.equals(Json.text(current, "metadata", "resourceVersion"))) {
      throw ApiException.conflict(type, Json.text(current, "metadata", "name"));
    }
  }
}
