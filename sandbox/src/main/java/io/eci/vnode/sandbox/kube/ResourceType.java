package io.eci.vnode.sandbox.kube;

import java.util.List;
import java.util.Set;

/**
 * One served resource, as discovery describes it.
 *
 * @param group API group, "" for the core group
 * @param version API version within the group
 * @param plural the resource name in URLs ({@code pods})
 * @param singular the singular name ({@code pod})
 * @param kind the object kind ({@code Pod})
 * @param namespaced whether objects live in a namespace
 * @param shortNames kubectl short names ({@code po})
 * @param verbs the verbs served, as discovery lists them
 * @param categories discovery categories ({@code all})
 * @param hasStatus whether {@code /status} is a separate subresource (main updates keep {@code
 *     .status})
 * @param fieldLabels field-selector labels besides {@code metadata.name} and {@code
 *     metadata.namespace}
 */
record ResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> verbs,
    List<String> categories,
    boolean hasStatus,
    Set<String> fieldLabels) {

  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The resource as error messages name it: {@code pods}, {@code leases.coordination.k8s.io}. */
  String qualifiedPlural() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  String listKind() {
    return kind + "List";
  }

  boolean supports(String verb) {
    return verbs.contains(verb);
  }

  /**
   * @throws ApiException 405 when the type does not serve {@code verb}, as a real server answers
   */
  void requireVerb(String verb) {
    if (!supports(verb)) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource ("
              + verb
              + " "
              + plural
              + ")");
    }
  }

  /** Whether objects of this type are kept (false for create-only reviews and bindings). */
  boolean stored() {
    return supports("get");
  }

  String collectionPath(String namespace) {
    String root = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return namespaced && namespace != null
        ? root + "/namespaces/" + namespace + "/" + plural
        : root + "/" + plural;
  }

  String objectPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + name;
  }
}
