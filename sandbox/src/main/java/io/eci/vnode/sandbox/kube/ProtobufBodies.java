package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Decodes the Kubernetes protobuf request bodies kubectl sends for its typed {@code create}
 * commands (client-go's typed clients default to {@code application/vnd.kubernetes.protobuf}): the
 * {@code k8s\0} + {@code runtime.Unknown} envelope around a Namespace, ConfigMap, Secret or
 * ServiceAccount. Other kinds are refused with 415, as is protobuf for anything but a create; every
 * other client the product uses sends JSON.
 */
final class ProtobufBodies {

  private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

  private enum Kind {
    STRING,
    BOOL,
    MESSAGE,
    STRING_MAP,
    BYTES_MAP
  }

  private record Field(String name, Kind kind, boolean repeated, Map<Integer, Field> message) {
    static Field of(String name, Kind kind) {
      return new Field(name, kind, false, null);
    }

    static Field strings(String name) {
      return new Field(name, Kind.STRING, true, null);
    }

    static Field message(String name, Map<Integer, Field> schema, boolean repeated) {
      return new Field(name, Kind.MESSAGE, repeated, schema);
    }
  }

  private static final Map<Integer, Field> OWNER_REFERENCE =
      Map.of(
          1, Field.of("kind", Kind.STRING),
          3, Field.of("name", Kind.STRING),
          4, Field.of("uid", Kind.STRING),
          5, Field.of("apiVersion", Kind.STRING),
          6, Field.of("controller", Kind.BOOL),
          7, Field.of("blockOwnerDeletion", Kind.BOOL));
  private static final Map<Integer, Field> OBJECT_META =
      Map.of(
          1, Field.of("name", Kind.STRING),
          2, Field.of("generateName", Kind.STRING),
          3, Field.of("namespace", Kind.STRING),
          11, Field.of("labels", Kind.STRING_MAP),
          12, Field.of("annotations", Kind.STRING_MAP),
          13, Field.message("ownerReferences", OWNER_REFERENCE, true),
          14, Field.strings("finalizers"));
  private static final Field METADATA = Field.message("metadata", OBJECT_META, false);
  private static final Map<Integer, Field> NAME_REFERENCE =
      Map.of(1, Field.of("name", Kind.STRING));
  private static final Map<String, Map<Integer, Field>> SCHEMAS =
      Map.of(
          "Namespace",
          Map.of(
              1, METADATA, 2, Field.message("spec", Map.of(1, Field.strings("finalizers")), false)),
          "ConfigMap",
          Map.of(
              1, METADATA,
              2, Field.of("data", Kind.STRING_MAP),
              3, Field.of("binaryData", Kind.BYTES_MAP),
              4, Field.of("immutable", Kind.BOOL)),
          "Secret",
          Map.of(
              1, METADATA,
              2, Field.of("data", Kind.BYTES_MAP),
              3, Field.of("type", Kind.STRING),
              4, Field.of("stringData", Kind.STRING_MAP),
              5, Field.of("immutable", Kind.BOOL)),
          "ServiceAccount",
          Map.of(
              1, METADATA,
              3, Field.message("imagePullSecrets", NAME_REFERENCE, true),
              4, Field.of("automountServiceAccountToken", Kind.BOOL)));

  private ProtobufBodies() {}

  /** The JSON form of a protobuf-encoded object. */
  static ObjectNode decode(byte[] body, String contentType) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw ApiException.badRequest("the protobuf body does not start with the k8s envelope");
    }
    Reader unknown = new Reader(Arrays.copyOfRange(body, MAGIC.length, body.length));
    String apiVersion = "";
    String kind = "";
    byte[] raw = new byte[0];
    while (unknown.more()) {
      int key = unknown.varintAsInt();
      if (key >>> 3 == 1 && (key & 7) == 2) {
        Reader typeMeta = new Reader(unknown.bytes());
        while (typeMeta.more()) {
          int field = typeMeta.varintAsInt();
          if (field >>> 3 == 1) {
            apiVersion = typeMeta.string();
          } else if (field >>> 3 == 2) {
            kind = typeMeta.string();
          } else {
            typeMeta.skip(field & 7);
          }
        }
      } else if (key >>> 3 == 2 && (key & 7) == 2) {
        raw = unknown.bytes();
      } else {
        unknown.skip(key & 7);
      }
    }
    Map<Integer, Field> schema = SCHEMAS.get(kind);
    if (schema == null || !apiVersion.equals("v1")) {
      throw ApiException.unsupportedMediaType(
          contentType
              + " (the sandbox decodes protobuf only for v1 Namespace, ConfigMap, Secret and"
              + " ServiceAccount, not "
              + apiVersion
              + " "
              + kind
              + "; send JSON)");
    }
    ObjectNode object = message(new Reader(raw), schema);
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    return object;
  }

  private static ObjectNode message(Reader reader, Map<Integer, Field> schema) {
    ObjectNode object = Json.object();
    while (reader.more()) {
      int key = reader.varintAsInt();
      Field field = schema.get(key >>> 3);
      if (field == null) {
        reader.skip(key & 7);
        continue;
      }
      JsonNode value =
          switch (field.kind()) {
            case STRING -> Json.MAPPER.getNodeFactory().textNode(reader.string());
            case BOOL -> Json.MAPPER.getNodeFactory().booleanNode(reader.varint() != 0);
            case MESSAGE -> message(new Reader(reader.bytes()), field.message());
            case STRING_MAP, BYTES_MAP -> null;
          };
      if (value != null && value.isTextual() && value.asText().isEmpty()) {
        continue; // an unset string travels as ""; JSON omits it
      }
      if (value == null) {
        mapEntry(Json.child(object, field.name()), new Reader(reader.bytes()), field.kind());
      } else if (field.repeated()) {
        JsonNode existing = object.get(field.name());
        ArrayNode list =
            existing instanceof ArrayNode array ? array : object.putArray(field.name());
        list.add(value);
      } else {
        object.set(field.name(), value);
      }
    }
    return object;
  }

  private static void mapEntry(ObjectNode map, Reader entry, Kind kind) {
    String key = "";
    String value = "";
    while (entry.more()) {
      int field = entry.varintAsInt();
      if (field >>> 3 == 1) {
        key = entry.string();
      } else if (field >>> 3 == 2) {
        byte[] bytes = entry.bytes();
        value =
            kind == Kind.BYTES_MAP
                ? Base64.getEncoder().encodeToString(bytes)
                : new String(bytes, StandardCharsets.UTF_8);
      } else {
        entry.skip(field & 7);
      }
    }
    map.put(key, value);
  }

  /** The protobuf wire format: varints, length-delimited fields, fixed 32/64-bit fields. */
  private static final class Reader {
    private final byte[] data;
    private int position;

    Reader(byte[] data) {
      this.data = data;
    }

    boolean more() {
      return position < data.length;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= data.length) {
          throw ApiException.badRequest("truncated protobuf body");
        }
        byte b = data[position++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw ApiException.badRequest("malformed protobuf varint");
    }

    int varintAsInt() {
      return (int) varint();
    }

    byte[] bytes() {
      int length = varintAsInt();
      if (length < 0 || position + length > data.length) {
        throw ApiException.badRequest("truncated protobuf body");
      }
      byte[] bytes = Arrays.copyOfRange(data, position, position + length);
      position += length;
      return bytes;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> position += 8;
        case 2 -> bytes();
        case 5 -> position += 4;
        default -> throw ApiException.badRequest("unsupported protobuf wire type " + wireType);
      }
    }
  }
}
