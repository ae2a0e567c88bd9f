package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Namespaces: {@code status.phase: Active}, the {@code kubernetes} finalizer and the immutable name
 * label.
 */
final class NamespaceStrategy implements TypeStrategy {

  static final String NAME_LABEL = "kubernetes.io/metadata.name";

  @Override
  public void prepareForCreate(ObjectNode namespace, Instant now) {
    labelWithName(namespace);
    ObjectNode spec = Json.child(namespace, "spec");
    if (!spec.has("finalizers")) {
      spec.putArray("finalizers").add("kubernetes");
    }
    Json.child(namespace, "status").put("phase", "Active");
  }

  @Override
  public void prepareForUpdate(ObjectNode updated, ObjectNode current) {
    labelWithName(updated);
  }

  private static void labelWithName(ObjectNode namespace) {
    ObjectNode metadata = Json.metadata(namespace);
    Json.child(metadata, "labels").put(NAME_LABEL, metadata.path("name").asText());
  }
}
