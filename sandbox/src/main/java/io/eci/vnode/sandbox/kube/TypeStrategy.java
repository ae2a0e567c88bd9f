package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * What is specific to one resource type in the write path, after the API server's {@code
 * RESTStrategy}: defaults on create, validation on update, and the grace period of a delete.
 */
interface TypeStrategy {

  TypeStrategy GENERIC = new TypeStrategy() {};

  /**
   * Fills server-side defaults into a new object whose metadata (name, uid, timestamps) is already
   * set.
   */
  default void prepareForCreate(ObjectNode object, Instant now) {}

  /**
   * Fills defaults into an update of the main resource and rejects changes the real server rejects.
   *
   * @throws ApiException when the update is not allowed
   */
  default void prepareForUpdate(ObjectNode updated, ObjectNode current) {}

  /**
   * The grace period for deleting {@code current}; 0 removes it at once (unless finalizers hold
   * it).
   *
   * @param requested the caller's {@code gracePeriodSeconds}, or null
   */
  default long gracePeriodSeconds(ObjectNode current, Long requested) {
    return 0;
  }

  static TypeStrategy of(ResourceType type) {
    if (type.equals(ResourceTypes.PODS)) {
      return new PodStrategy();
    }
    if (type.equals(ResourceTypes.NAMESPACES)) {
      return new NamespaceStrategy();
    }
    return GENERIC;
  }
}
