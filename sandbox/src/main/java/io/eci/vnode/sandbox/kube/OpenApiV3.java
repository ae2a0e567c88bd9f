package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deliberately minimal OpenAPI v3: the {@code /openapi/v3} index and, per group version, one
 * PATCH operation per resource that declares the {@code fieldValidation} query parameter — and no
 * schemas. That is exactly what kubectl's {@code create -f}/{@code apply -f} validation probes to
 * learn that the server validates fields itself; without it kubectl falls back to client-side
 * validation and fails to download OpenAPI v2. Since no operation advertises strategic-merge
 * content, client-side apply computes its patches from kubectl's compiled-in types. {@code kubectl
 * explain} has nothing to show. OpenAPI v2 is not served (404).
 */
final class OpenApiV3 {

  private static final String PREFIX = "/openapi/v3";

  private final ResourceTypes types;

  OpenApiV3(ResourceTypes types) {
    this.types = types;
  }

  /** The document at {@code path}, or empty when there is none. */
  Optional<ObjectNode> document(String path) {
    if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
      return Optional.of(index());
    }
    if (!path.startsWith(PREFIX + "/")) {
      return Optional.empty();
    }
    String key = path.substring(PREFIX.length() + 1);
    for (Map.Entry<String, List<ResourceType>> groupVersion : types.byGroupVersion().entrySet()) {
      if (key.equals(keyOf(groupVersion.getKey()))) {
        return Optional.of(groupVersionDocument(groupVersion.getValue()));
      }
    }
    return Optional.empty();
  }

  private ObjectNode index() {
    ObjectNode index = Json.object();
    ObjectNode paths = index.putObject("paths");
    for (String groupVersion : types.byGroupVersion().keySet()) {
      String key = keyOf(groupVersion);
      paths
          .putObject(key)
          .put(
              "serverRelativeURL",
              PREFIX + "/" + key + "?hash=" + Integer.toHexString(key.hashCode()));
    }
    return index;
  }

  private static ObjectNode groupVersionDocument(List<ResourceType> resources) {
    ObjectNode document = Json.object();
    document.put("openapi", "3.0.0");
    ObjectNode info = document.putObject("info");
    info.put("title", "Kubernetes (sandbox stand-in, no schemas)");
    info.put("version", "v1." + Discovery.MINOR_VERSION + ".0");
    ObjectNode paths = document.putObject("paths");
    for (ResourceType type : resources) {
      if (!type.supports("patch")) {
        continue;
      }
      String path =
          type.namespaced()
              ? type.collectionPath("{namespace}") + "/{name}"
              : type.collectionPath(null) + "/{name}";
      ObjectNode patch = paths.putObject(path).putObject("patch");
      patch.put("operationId", "patch" + type.kind());
      ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", type.group());
      gvk.put("version", type.version());
      gvk.put("kind", type.kind());
      ArrayNode parameters = patch.putArray("parameters");
      for (String name : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        ObjectNode parameter = parameters.addObject();
        parameter.put("name", name);
        parameter.put("in", "query");
        parameter.putObject("schema").put("type", name.equals("force") ? "boolean" : "string");
      }
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    document.putObject("components").putObject("schemas");
    return document;
  }

  private static String keyOf(String groupVersion) {
    return groupVersion.contains("/") ? "apis/" + groupVersion : "api/" + groupVersion;
  }
}
