package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A schema-free strategic merge patch, close enough to the API server's for the fields the product
 * and kubectl touch: maps merge, {@code null} deletes, lists of named things merge by their patch
 * merge key (the key the Kubernetes types declare: {@code name} for containers/env/volumes, {@code
 * type} for conditions and node addresses, {@code containerPort} for container ports, {@code
 * mountPath} for volume mounts, ...), {@code finalizers} merge as a set, any other list is
 * replaced. Directives: {@code $patch: replace|delete} on maps and list items, {@code
 * $deleteFromPrimitiveList/<field>}; {@code $setElementOrder/<field>} and {@code $retainKeys} are
 * accepted and ignored. A merged list is ordered as the API server orders it (the patch's items
 * first unless the original list put an untouched item before them).
 */
final class StrategicMergePatch {

  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("env", "name"),
          Map.entry("volumes", "name"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("resourceClaims", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("conditions", "type"),
          Map.entry("addresses", "type"),
          Map.entry("podIPs", "ip"),
          Map.entry("hostIPs", "ip"),
          Map.entry("hostAliases", "ip"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("topologySpreadConstraints", "topologyKey"));
  private static final Set<String> CONTAINER_LISTS =
      Set.of("containers", "initContainers", "ephemeralContainers");
  private static final Set<String> PRIMITIVE_SETS = Set.of("finalizers");
  private static final String DIRECTIVE = "$patch";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  /** The patched copy of {@code target}. */
  static ObjectNode apply(ObjectNode target, ObjectNode patch) {
    JsonNode result = mergeObject(target, patch, null);
    return result instanceof ObjectNode object ? object : Json.object();
  }

  /** Merges a patch map into a value; null means "delete this value". */
  private static JsonNode mergeObject(JsonNode target, ObjectNode patch, String enclosingList) {
    String directive = patch.path(DIRECTIVE).asText("");
    if (directive.equals("delete")) {
      return null;
    }
    if (directive.equals("replace")) {
      ObjectNode replacement = patch.deepCopy();
      replacement.remove(DIRECTIVE);
      return replacement;
    }
    ObjectNode result = target instanceof ObjectNode object ? object.deepCopy() : Json.object();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        deleteFromPrimitiveList(result, name.substring(DELETE_FROM_PRIMITIVE_LIST.length()), value);
      } else if (name.startsWith("$")) {
        continue; // $setElementOrder/..., $retainKeys, $patch: ordering and pruning hints only
      } else if (value.isNull()) {
        result.remove(name);
      } else if (value instanceof ObjectNode nested) {
        JsonNode merged = mergeObject(result.get(name), nested, null);
        if (merged == null) {
          result.remove(name);
        } else {
          result.set(name, merged);
        }
      } else if (value instanceof ArrayNode list) {
        result.set(name, mergeList(name, enclosingList, result.get(name), list));
      } else {
        result.set(name, value.deepCopy());
      }
    }
    return result;
  }

  private static JsonNode mergeList(
      String field, String enclosingList, JsonNode target, ArrayNode patch) {
    ArrayNode current = target instanceof ArrayNode list ? list : Json.array();
    for (JsonNode item : patch) {
      if (item.path(DIRECTIVE).asText("").equals("replace")) {
        return withoutDirectives(patch);
      }
    }
    if (PRIMITIVE_SETS.contains(field)) {
      ArrayNode union = current.deepCopy();
      patch.forEach(
          item -> {
            if (!contains(union, item)) {
              union.add(item.deepCopy());
            }
          });
      return union;
    }
    String key = mergeKey(field, enclosingList);
    if (key == null) {
      return withoutDirectives(patch);
    }
    List<JsonNode> merged = new ArrayList<>();
    current.forEach(merged::add);
    for (JsonNode item : patch) {
      int index = indexOfKey(merged, key, item.path(key));
      boolean delete = item.path(DIRECTIVE).asText("").equals("delete");
      if (delete) {
        if (index >= 0) {
          merged.remove(index);
        }
      } else if (index >= 0 && item instanceof ObjectNode object) {
        merged.set(index, mergeObject(merged.get(index), object, field));
      } else if (item instanceof ObjectNode object) {
        merged.add(mergeObject(null, object, field));
      } else {
        merged.add(item.deepCopy());
      }
    }
    ArrayNode result = Json.array();
    inServerOrder(merged, patch, current, key).forEach(result::add);
    return result;
  }

  /**
   * The merged list in the order the API server gives it (apimachinery's normalizeElementOrder):
   * the patch's items in the patch's order, the other items in their original order, the two
   * interleaved by their original places where both items had one, a patch item first otherwise.
   */
  private static List<JsonNode> inServerOrder(
      List<JsonNode> merged, ArrayNode patch, ArrayNode original, String key) {
    List<JsonNode> fromPatch = new ArrayList<>();
    for (JsonNode item : patch) {
      int index = indexOfKey(merged, key, item.path(key));
      if (index >= 0 && indexOfKey(fromPatch, key, item.path(key)) < 0) {
        fromPatch.add(merged.get(index));
      }
    }
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode item : merged) {
      if (indexOfKey(fromPatch, key, item.path(key)) < 0) {
        serverOnly.add(item);
      }
    }
    List<JsonNode> originalItems = new ArrayList<>();
    original.forEach(originalItems::add);
    List<JsonNode> ordered = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < serverOnly.size() || j < fromPatch.size()) {
      if (j >= fromPatch.size()) {
        ordered.add(serverOnly.get(i++));
      } else if (i >= serverOnly.size()) {
        ordered.add(fromPatch.get(j++));
      } else {
        int left = indexOfKey(originalItems, key, serverOnly.get(i).path(key));
        int right = indexOfKey(originalItems, key, fromPatch.get(j).path(key));
        ordered.add(
            left >= 0 && right >= 0 && left < right ? serverOnly.get(i++) : fromPatch.get(j++));
      }
    }
    return ordered;
  }

  private static String mergeKey(String field, String enclosingList) {
    if (field.equals("ports")) {
      return enclosingList != null && CONTAINER_LISTS.contains(enclosingList)
          ? "containerPort"
          : "port";
    }
    return MERGE_KEYS.get(field);
  }

  private static int indexOfKey(List<JsonNode> items, String key, JsonNode value) {
    if (value.isMissingNode()) {
      return -1;
    }
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).path(key).equals(value)) {
        return i;
      }
    }
    return -1;
  }

  private static void deleteFromPrimitiveList(ObjectNode target, String field, JsonNode values) {
    if (target.get(field) instanceof ArrayNode list && values instanceof ArrayNode remove) {
      ArrayNode kept = Json.array();
      list.forEach(
          item -> {
            if (!contains(remove, item)) {
              kept.add(item);
            }
          });
      target.set(field, kept);
    }
  }

  private static boolean contains(ArrayNode list, JsonNode value) {
    for (JsonNode item : list) {
      if (item.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static ArrayNode withoutDirectives(ArrayNode list) {
    ArrayNode result = Json.array();
    for (JsonNode item : list) {
      if (item instanceof ObjectNode object) {
        if (object.has(DIRECTIVE)) {
          continue; // {"$patch": "replace"} marks the list; "delete" items have nothing to delete
          // here
        }
        ObjectNode copy = object.deepCopy();
        copy.remove(DIRECTIVE);
        result.add(copy);
      } else {
        result.add(item.deepCopy());
      }
    }
    return result;
  }
}
