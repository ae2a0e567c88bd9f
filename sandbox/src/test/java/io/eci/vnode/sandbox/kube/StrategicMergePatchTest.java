package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

  @Test
  void nullDeletesAndMapsMerge() {
    assertThat(patch("{\"a\":{\"x\":1,\"y\":2},\"b\":1}", "{\"a\":{\"y\":null,\"z\":3},\"c\":4}"))
        .isEqualTo(json("{\"a\":{\"x\":1,\"z\":3},\"b\":1,\"c\":4}"));
  }

  @Test
  void containerPortsMergeByContainerPortAndServicePortsByPort() {
    assertThat(
            patch(
                "{\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":80,\"name\":\"http\"}]}]}",
                "{\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}]}]}"))
        .isEqualTo(
            json(
                "{\"containers\":[{\"name\":\"a\",\"ports\":[{\"containerPort\":80,\"name\":\"http\",\"protocol\":\"TCP\"}]}]}"));
    assertThat(
            patch(
                "{\"spec\":{\"ports\":[{\"port\":80,\"name\":\"http\"}]}}",
                "{\"spec\":{\"ports\":[{\"port\":443,\"name\":\"https\"}]}}"))
        // the patch's new item first, as the API server orders a merged list
        .isEqualTo(
            json(
                "{\"spec\":{\"ports\":[{\"port\":443,\"name\":\"https\"},{\"port\":80,\"name\":\"http\"}]}}"));
  }

  @Test
  void finalizersMergeAsASetAndDeleteFromPrimitiveListRemoves() {
    assertThat(
            patch(
                "{\"metadata\":{\"finalizers\":[\"a\",\"b\"]}}",
                "{\"metadata\":{\"finalizers\":[\"b\",\"c\"],\"$deleteFromPrimitiveList/finalizers\":[\"a\"]}}"))
        .isEqualTo(json("{\"metadata\":{\"finalizers\":[\"b\",\"c\"]}}"));
  }

  @Test
  void listsWithoutMergeKeyAreReplaced() {
    assertThat(patch("{\"args\":[\"a\",\"b\"]}", "{\"args\":[\"c\"]}"))
        .isEqualTo(json("{\"args\":[\"c\"]}"));
  }

  @Test
  void replaceDirectivesReplaceMapsAndLists() {
    assertThat(patch("{\"m\":{\"a\":1,\"b\":2}}", "{\"m\":{\"$patch\":\"replace\",\"c\":3}}"))
        .isEqualTo(json("{\"m\":{\"c\":3}}"));
    assertThat(
            patch(
                "{\"env\":[{\"name\":\"A\"},{\"name\":\"B\"}]}",
                "{\"env\":[{\"name\":\"C\"},{\"$patch\":\"replace\"}]}"))
        .isEqualTo(json("{\"env\":[{\"name\":\"C\"}]}"));
  }

  @Test
  void orderingDirectivesAreIgnored() {
    assertThat(
            patch(
                "{\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}",
                "{\"$setElementOrder/containers\":[{\"name\":\"a\"}],\"containers\":[{\"name\":\"a\",\"image\":\"y\"}]}"))
        .isEqualTo(json("{\"containers\":[{\"name\":\"a\",\"image\":\"y\"}]}"));
  }

  @Test
  void jsonMergePatchFollowsRfc7386() {
    assertThat(
            JsonMergePatch.apply(
                json("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}"),
                json("{\"a\":\"z\",\"c\":{\"f\":null}}")))
        .isEqualTo(json("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}"));
    assertThat(JsonMergePatch.apply(json("{\"a\":[1,2]}"), json("{\"a\":[3]}")))
        .isEqualTo(json("{\"a\":[3]}"));
  }

  private static JsonNode patch(String target, String patch) {
    return StrategicMergePatch.apply((ObjectNode) json(target), (ObjectNode) json(patch));
  }

  private static JsonNode json(String text) {
    return Json.parse(text, false);
  }
}
