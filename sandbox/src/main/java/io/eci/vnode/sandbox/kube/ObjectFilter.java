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

  /**
   * The objects a list, watch or collection delete of {@code path} wants: its selectors, pinned to
   * the path's name when it names one.
   *
   * @throws ApiException 400 for a selector the type does not support
   */
  static ObjectFilter of(ResourcePath path, ApiRequest request) {
    FieldSelector fields = FieldSelector.parse(request.param("fieldSelector"), path.type());
    if (path.name() != null) {
      String pinned = "metadata.name=" + path.name();
      String given = request.param("fieldSelector");
      fields =
          FieldSelector.parse(
              given == null || given.isBlank() ? pinned : given + "," + pinned, path.type());
    }
    return new ObjectFilter(
        path.type(), path.namespace(), LabelSelector.parse(request.param("labelSelector")), fields);
  }

  boolean matches(JsonNode object) {
    return (namespace == null || namespace.equals(Json.text(object, "metadata", "namespace")))
        && labels.matches(object)
        && fields.matches(object);
  }
}
