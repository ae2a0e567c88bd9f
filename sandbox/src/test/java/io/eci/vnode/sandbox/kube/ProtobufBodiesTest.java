package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** kubectl's typed creates send protobuf; the envelope and the common kinds decode to JSON. */
class ProtobufBodiesTest {

  private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

  @Test
  void decodesAConfigMapWithMetadataLabelsAndData() {
    byte[] metadata =
        concat(string(1, "settings"), string(3, "kube-system"), entry(11, "team", "eci"));
    byte[] configMap = concat(message(1, metadata), entry(2, "selectors", "a=b"), varint(4, 1));

    ObjectNode decoded = ProtobufBodies.decode(envelope("v1", "ConfigMap", configMap), PROTOBUF);

    assertThat(decoded.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(decoded.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(decoded.path("metadata").path("name").asText()).isEqualTo("settings");
    assertThat(decoded.path("metadata").path("namespace").asText()).isEqualTo("kube-system");
    assertThat(decoded.path("metadata").path("labels").path("team").asText()).isEqualTo("eci");
    assertThat(decoded.path("data").path("selectors").asText()).isEqualTo("a=b");
    assertThat(decoded.path("immutable").asBoolean()).isTrue();
  }

  @Test
  void secretDataIsBase64AsInJson() {
    byte[] secret = concat(message(1, string(1, "s")), entry(2, "password", "hunter2"));

    ObjectNode decoded = ProtobufBodies.decode(envelope("v1", "Secret", secret), PROTOBUF);

    assertThat(decoded.path("data").path("password").asText()).isEqualTo("aHVudGVyMg==");
  }

  @Test
  void otherKindsAreUnsupportedMediaType() {
    assertThatThrownBy(
            () -> ProtobufBodies.decode(envelope("apps/v1", "Deployment", new byte[0]), PROTOBUF))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(415))
        .hasMessageContaining("Deployment");
    assertThatThrownBy(() -> ProtobufBodies.decode("{}".getBytes(StandardCharsets.UTF_8), PROTOBUF))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
    byte[] typeMeta = concat(string(1, apiVersion), string(2, kind));
    return concat(new byte[] {0x6b, 0x38, 0x73, 0x00}, message(1, typeMeta), message(2, raw));
  }

  private static byte[] entry(int field, String key, String value) {
    return message(field, concat(string(1, key), string(2, value)));
  }

  private static byte[] string(int field, String value) {
    return message(field, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] message(int field, byte[] bytes) {
    return concat(rawVarint(field << 3 | 2), rawVarint(bytes.length), bytes);
  }

  private static byte[] varint(int field, long value) {
    return concat(rawVarint(field << 3), rawVarint(value));
  }

  private static byte[] rawVarint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
