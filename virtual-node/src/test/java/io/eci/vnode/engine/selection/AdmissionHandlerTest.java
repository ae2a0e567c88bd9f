package io.eci.vnode.engine.selection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AdmissionHandler handler =
      new AdmissionHandler(
          ns -> ns.equals("eci-ns") ? Map.of("alibabacloud.com/eci", "true") : Map.of(),
          EciProfile::empty);

  @Test
  void steersASelectedPodToTheVirtualNode() throws Exception {
    JsonNode response =
        JSON.readTree(
                handler.review(
                    review("eci-ns", "{}", "{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}")))
            .get("response");
    assertThat(response.get("uid").asText()).isEqualTo("req-1");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.get("patchType").asText()).isEqualTo("JSONPatch");
    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
    assertThat(patch.toString())
        .isEqualTo(
            "[{\"op\":\"add\",\"path\":\"/spec/tolerations\",\"value\":[{\"key\":\"virtual-kubelet.io/provider\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]},"
                + "{\"op\":\"add\",\"path\":\"/spec/nodeSelector\",\"value\":{\"type\":\"virtual-kubelet\"}}]");
  }

  @Test
  void addsToExistingTolerationsAndNodeSelectorAndEscapesKeys() throws Exception {
    EciProfile profile =
        EciProfile.parse(
                new ConfigMapBuilder()
                    .addToData(
                        "selectors",
                        "[{\"name\":\"all\",\"effect\":{\"annotations\":{\"k8s.aliyun.com/eci-sls-enable\":\"true\"}}}]")
                    .build())
            .profile()
            .orElseThrow();
    AdmissionHandler withProfile =
        new AdmissionHandler(ns -> Map.of("alibabacloud.com/eci", "true"), () -> profile);
    String spec =
        "{\"tolerations\":[{\"key\":\"other\",\"operator\":\"Exists\"}],\"nodeSelector\":{\"disk\":\"ssd\"},\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}";
    JsonNode response =
        JSON.readTree(withProfile.review(review("any", "{\"annotations\":{\"a\":\"b\"}}", spec)))
            .get("response");
    String patch = new String(Base64.getDecoder().decode(response.get("patch").asText()));
    assertThat(patch)
        .contains("\"path\":\"/spec/tolerations/-\"")
        .contains("\"path\":\"/spec/nodeSelector/type\"")
        .contains("\"path\":\"/metadata/annotations/k8s.aliyun.com~1eci-sls-enable\"");
  }

  @Test
  void allowsOtherPodsUnchanged() throws Exception {
    JsonNode response =
        JSON.readTree(
                handler.review(
                    review("plain", "{}", "{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}")))
            .get("response");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isFalse();
  }

  @Test
  void neverBlocksARequestItCannotRead() throws Exception {
    JsonNode response = JSON.readTree(handler.review("{not json")).get("response");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.get("warnings").get(0).asText()).contains("could not be read");
  }

  private static String review(String namespace, String metadataExtra, String spec) {
    String metadata =
        metadataExtra.equals("{}")
            ? "{\"name\":\"p\",\"namespace\":\"" + namespace + "\"}"
            : metadataExtra.replaceFirst(
                "\\{", "{\"name\":\"p\",\"namespace\":\"" + namespace + "\",");
    return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"req-1\",\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},"
        + "\"operation\":\"CREATE\",\"namespace\":\""
        + namespace
        + "\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
        + metadata
        + ",\"spec\":"
        + spec
        + "}}}";
  }
}
