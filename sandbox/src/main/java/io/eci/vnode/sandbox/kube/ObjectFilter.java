package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which objects a list or watch wants: one type, optionally one namespace, and label and field
 * selectors.
 *
 * @param type the resource type
 * @param namespace the namespace, or null for all namespaces (and for cluster-scoped types)
 * @param labels the label selector
 * @param fields the field selector
 */
record ObjectFilter(
    ResourceType type, String namespace, LabelSelector labels, FieldSelector fields) {

  boolean matches(JsonNode object) {
    return (namespace == null || namespace.equals(Json.text(object, "metadata", "namespace")))
        && labels.matches(object)
        && fields.matches(object);
  }
}
