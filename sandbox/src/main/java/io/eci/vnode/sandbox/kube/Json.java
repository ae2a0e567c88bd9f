package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The stand-in's JSON model: objects are schema-less Jackson trees, exactly as they go on the wire.
 */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private Json() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ArrayNode array() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /**
   * Parses a request body; YAML is accepted because JSON is YAML and kubectl/apply may send either.
   */
  static JsonNode parse(String body, boolean yaml) {
    try {
      return yaml ? YAML.readTree(body) : MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the request body is not valid " + (yaml ? "YAML" : "JSON"));
    }
  }

  static ObjectNode parseObject(String body, boolean yaml) {
    JsonNode node = body == null || body.isBlank() ? null : parse(body, yaml);
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  static ObjectNode read(String stored) {
    try {
      return (ObjectNode) MAPPER.readTree(stored);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored object is not JSON", e);
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The text at a path of field names, or "" when any step is missing or not a scalar. */
  static String text(JsonNode node, String... path) {
    JsonNode at = at(node, path);
    return at.isValueNode() && !at.isNull() ? at.asText() : "";
  }

  static JsonNode at(JsonNode node, String... path) {
    JsonNode at = node;
    for (String step : path) {
      at = at.path(step);
    }
    return at;
  }

  /**
   * The object field of {@code parent} named {@code field}, created (or replaced if not an object)
   * when needed.
   */
  static ObjectNode child(ObjectNode parent, String field) {
    JsonNode existing = parent.get(field);
    if (existing instanceof ObjectNode object) {
      return object;
    }
    return parent.putObject(field);
  }

  /**
   * A copy with the fields in the order a real server writes them: apiVersion, kind, metadata, ...,
   * status.
   */
  static ObjectNode canonical(ObjectNode object) {
    ObjectNode ordered = object();
    for (String first : new String[] {"apiVersion", "kind", "metadata"}) {
      if (object.has(first)) {
        ordered.set(first, object.get(first));
      }
    }
    object
        .fields()
        .forEachRemaining(
            field -> {
              if (!ordered.has(field.getKey()) && !field.getKey().equals("status")) {
                ordered.set(field.getKey(), field.getValue());
              }
            });
    if (object.has("status")) {
      ordered.set("status", object.get("status"));
    }
    return ordered;
  }

  /** The {@code items} of a list document. */
  static List<ObjectNode> itemsOf(ObjectNode list) {
    List<ObjectNode> items = new ArrayList<>();
    list.path("items").forEach(item -> items.add((ObjectNode) item));
    return items;
  }

  static ObjectNode metadata(ObjectNode object) {
    return child(object, "metadata");
  }

  /** An RFC 3339 timestamp with second precision, the format of Kubernetes {@code Time} fields. */
  static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
