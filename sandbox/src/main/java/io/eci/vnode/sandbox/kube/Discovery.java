package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The legacy (unaggregated) discovery documents kubectl and fabric8 read to map {@code po}, {@code
 * pods} or {@code Lease} to a URL, plus {@code /version}. Aggregated discovery and OpenAPI are not
 * served; kubectl falls back to these documents when {@code /api} answers with plain JSON.
 */
final class Discovery {

  /**
   * The Kubernetes version the stand-in reports; kubectl's version skew rules are checked against
   * it.
   */
  static final String MINOR_VERSION = "32";

  private final ResourceTypes types;
  private final Supplier<String> serverAddress;

  Discovery(ResourceTypes types, Supplier<String> serverAddress) {
    this.types = types;
    this.serverAddress = serverAddress;
  }

  /** The document at {@code path}, or empty when the path is no discovery document. */
  Optional<ObjectNode> document(String path) {
    String trimmed =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (trimmed.equals("/version")) {
      return Optional.of(version());
    } else if (trimmed.equals("/api")) {
      return Optional.of(coreVersions());
    } else if (trimmed.equals("/apis")) {
      return Optional.of(groups());
    } else if (trimmed.equals("/api/v1")) {
      return resources("v1");
    }
    String[] segments = trimmed.split("/");
    if (segments.length == 3 && segments[1].equals("apis")) {
      return group(segments[2]);
    } else if (segments.length == 4 && segments[1].equals("apis")) {
      return resources(segments[2] + "/" + segments[3]);
    }
    return Optional.empty();
  }

  private ObjectNode version() {
    ObjectNode version = Json.object();
    version.put("major", "1");
    version.put("minor", MINOR_VERSION);
    version.put("gitVersion", "v1." + MINOR_VERSION + ".0");
    version.put("gitCommit", "sandbox");
    version.put("gitTreeState", "clean");
    version.put("buildDate", "2025-01-01T00:00:00Z");
    version.put("goVersion", "go1.23.0");
    version.put("compiler", "gc");
    version.put("platform", "linux/amd64");
    return version;
  }

  private ObjectNode coreVersions() {
    ObjectNode versions = Json.object();
    versions.put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    ObjectNode address = versions.putArray("serverAddressByClientCIDRs").addObject();
    address.put("clientCIDR", "0.0.0.0/0");
    address.put("serverAddress", serverAddress.get());
    return versions;
  }

  private ObjectNode groups() {
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (String groupVersion : types.byGroupVersion().keySet()) {
      if (groupVersion.contains("/")) {
        groups.add(groupDocument(groupVersion.split("/")[0], groupVersion.split("/")[1]));
      }
    }
    return list;
  }

  private Optional<ObjectNode> group(String name) {
    return types.byGroupVersion().keySet().stream()
        .filter(gv -> gv.startsWith(name + "/"))
        .findFirst()
        .map(gv -> groupDocument(name, gv.split("/")[1]))
        .map(
            group -> {
              group.put("kind", "APIGroup");
              group.put("apiVersion", "v1");
              return group;
            });
  }

  private static ObjectNode groupDocument(String name, String version) {
    ObjectNode group = Json.object();
    group.put("name", name);
    ObjectNode groupVersion = Json.object();
    groupVersion.put("groupVersion", name + "/" + version);
    groupVersion.put("version", version);
    group.putArray("versions").add(groupVersion);
    group.set("preferredVersion", groupVersion.deepCopy());
    return group;
  }

  private Optional<ObjectNode> resources(String groupVersion) {
    Map<String, List<ResourceType>> byGroupVersion = types.byGroupVersion();
    if (!byGroupVersion.containsKey(groupVersion)) {
      return Optional.empty();
    }
    ObjectNode list = Json.object();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", groupVersion);
    ArrayNode resources = list.putArray("resources");
    for (ResourceType type : byGroupVersion.get(groupVersion)) {
      ObjectNode resource = resource(resources, type.plural(), type.singular(), type, type.verbs());
      if (!type.shortNames().isEmpty()) {
        ArrayNode shortNames = resource.putArray("shortNames");
        type.shortNames().forEach(shortNames::add);
      }
      if (!type.categories().isEmpty()) {
        ArrayNode categories = resource.putArray("categories");
        type.categories().forEach(categories::add);
      }
      if (type.hasStatus()) {
        resource(resources, type.plural() + "/status", "", type, List.of("get", "patch", "update"));
      }
      if (type.equals(ResourceTypes.PODS)) {
        resource(resources, "pods/binding", "", ResourceTypes.BINDINGS, List.of("create"));
      }
    }
    return Optional.of(list);
  }

  private static ObjectNode resource(
      ArrayNode resources, String name, String singular, ResourceType type, List<String> verbs) {
    ObjectNode resource = resources.addObject();
    resource.put("name", name);
    resource.put("singularName", singular);
    resource.put("namespaced", type.namespaced());
    resource.put("kind", type.kind());
    ArrayNode verbList = resource.putArray("verbs");
    verbs.forEach(verbList::add);
    return resource;
  }
}
