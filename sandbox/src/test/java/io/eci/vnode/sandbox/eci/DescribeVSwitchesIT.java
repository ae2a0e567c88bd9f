package io.eci.vnode.sandbox.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VPC DescribeVSwitches, called through CommonRequest as the service calls it. */
class DescribeVSwitchesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "LTAIvpc";
  private static final String SECRET = "vpc-secret";

  private EciSandbox sandbox;
  private Sdk sdk;

  @BeforeEach
  void startSandbox() {
    sandbox =
        EciSandbox.builder()
            .accessKey(KEY, SECRET)
            .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/16")
            .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/24")
            .vSwitch("vsw-c", "cn-hangzhou-b", "10.3.0.0/24")
            .start();
    sdk = new Sdk(sandbox, KEY, SECRET);
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  @Test
  void listsEveryVSwitchWithItsZoneInAWrappedArray() throws Exception {
    var answer = sdk.vpc("DescribeVSwitches", Map.of());
    assertThat(answer.getHttpStatus()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.getData());
    assertThat(body.get("RequestId").asText()).isNotEmpty();
    assertThat(body.get("TotalCount").asInt()).isEqualTo(3);
    assertThat(body.get("PageNumber").asInt()).isEqualTo(1);
    assertThat(body.get("PageSize").asInt()).isEqualTo(10);
    JsonNode list = body.at("/VSwitches/VSwitch");
    assertThat(list.isArray()).isTrue();
    assertThat(list)
        .extracting(v -> v.get("VSwitchId").asText())
        .containsExactly("vsw-a", "vsw-b", "vsw-c");
    JsonNode a = list.get(0);
    assertThat(a.get("ZoneId").asText()).isEqualTo("cn-hangzhou-a");
    assertThat(a.get("CidrBlock").asText()).isEqualTo("10.1.0.0/16");
    assertThat(a.get("Status").asText()).isEqualTo("Available");
    assertThat(a.get("VpcId").asText()).isEqualTo("vpc-sandbox");
    assertThat(a.get("VSwitchName").asText()).isEqualTo("vsw-a");
    assertThat(a.get("AvailableIpAddressCount").isIntegralNumber()).isTrue();
    assertThat(list.get(1).get("ZoneId").asText()).isEqualTo("cn-hangzhou-b");
  }

  @Test
  void describesOneVSwitchByIdWithItsZone() throws Exception {
    JsonNode body = describe(Map.of("VSwitchId", "vsw-b", "PageSize", "50", "PageNumber", "1"));
    assertThat(body.get("TotalCount").asInt()).isEqualTo(1);
    assertThat(body.at("/VSwitches/VSwitch"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.get("VSwitchId").asText()).isEqualTo("vsw-b");
              assertThat(v.get("ZoneId").asText()).isEqualTo("cn-hangzhou-b");
              assertThat(v.get("CidrBlock").asText()).isEqualTo("10.2.0.0/24");
            });
  }

  @Test
  void anUnknownVSwitchIdGivesAnEmptyListNotAnError() throws Exception {
    JsonNode body = describe(Map.of("VSwitchId", "vsw-nowhere"));
    assertThat(body.get("TotalCount").asInt()).isZero();
    assertThat(body.at("/VSwitches/VSwitch").isArray()).isTrue();
    assertThat(body.at("/VSwitches/VSwitch")).isEmpty();
  }

  @Test
  void filtersByZoneAndByVpc() throws Exception {
    assertThat(ids(describe(Map.of("ZoneId", "cn-hangzhou-b")))).containsExactly("vsw-b", "vsw-c");
    assertThat(ids(describe(Map.of("VpcId", "vpc-sandbox")))).hasSize(3);
    assertThat(ids(describe(Map.of("VpcId", "vpc-other")))).isEmpty();
  }

  @Test
  void pagesThroughVSwitchesAndRefusesAPageSizeAboveFifty() throws Exception {
    JsonNode first = describe(Map.of("PageSize", "2", "PageNumber", "1"));
    assertThat(first.get("TotalCount").asInt()).isEqualTo(3);
    assertThat(first.get("PageSize").asInt()).isEqualTo(2);
    assertThat(ids(first)).containsExactly("vsw-a", "vsw-b");
    JsonNode second = describe(Map.of("PageSize", "2", "PageNumber", "2"));
    assertThat(second.get("PageNumber").asInt()).isEqualTo(2);
    assertThat(ids(second)).containsExactly("vsw-c");
    assertThat(ids(describe(Map.of("PageSize", "2", "PageNumber", "3")))).isEmpty();

    assertThatThrownBy(() -> describe(Map.of("PageSize", "51")))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.getErrCode()).isEqualTo("InvalidParameter");
              assertThat(e.getErrMsg()).contains("\"PageSize\"");
            });
  }

  @Test
  void countsTheAddressesLeftAsInstancesTakeThem() throws Exception {
    JsonNode before = describe(Map.of("VSwitchId", "vsw-b"));
    // A /24 less the network, gateway and broadcast addresses the sandbox never hands out.
    assertThat(before.at("/VSwitches/VSwitch/0/AvailableIpAddressCount").asInt()).isEqualTo(253);
    sdk.create("web", "vsw-b", Map.of());
    JsonNode after = describe(Map.of("VSwitchId", "vsw-b"));
    assertThat(after.at("/VSwitches/VSwitch/0/AvailableIpAddressCount").asInt()).isEqualTo(252);
  }

  @Test
  void servesTheDefaultVSwitchesOfASandboxBuiltWithoutAny() throws Exception {
    try (EciSandbox plain = EciSandbox.builder().accessKey(KEY, SECRET).start()) {
      var answer = new Sdk(plain, KEY, SECRET).vpc("DescribeVSwitches", Map.of());
      JsonNode list = JSON.readTree(answer.getData()).at("/VSwitches/VSwitch");
      assertThat(list)
          .extracting(v -> v.get("VSwitchId").asText())
          .containsExactly("vsw-sandbox-a", "vsw-sandbox-b");
      assertThat(list)
          .extracting(v -> v.get("ZoneId").asText())
          .containsExactly("cn-hangzhou-a", "cn-hangzhou-b");
    }
  }

  @Test
  void aWrongSecretIsRefusedAsOnEciActions() {
    Sdk wrong = new Sdk(sandbox, KEY, "not-the-secret");
    // getCommonResponse, unlike getAcsResponse, does not turn the gateway's SignatureDoesNotMatch
    // into SDK.InvalidAccessKeySecret, for ECI actions as for VPC ones.
    assertThatThrownBy(() -> wrong.vpc("DescribeVSwitches", Map.of("VSwitchId", "vsw-a")))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.getErrCode()).isEqualTo("SignatureDoesNotMatch");
              assertThat(e.getErrMsg())
                  .contains("server string to sign is:POST&%2F&")
                  .contains("Action%3DDescribeVSwitches")
                  .contains("Version%3D2016-04-28");
            });
    assertThatThrownBy(() -> wrong.common("DescribeContainerGroupStatus", Map.of()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("SignatureDoesNotMatch"));
    assertThat(sandbox.counters().errors("SignatureDoesNotMatch")).isEqualTo(2);
    assertThat(sandbox.counters().calls("DescribeVSwitches")).isEqualTo(1);

    Sdk stranger = new Sdk(sandbox, "LTAIstranger", SECRET);
    assertThatThrownBy(() -> stranger.vpc("DescribeVSwitches", Map.of()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidAccessKeyId.NotFound"));
  }

  @Test
  void refusesAnUnknownParameterAndAnotherProductsVersion() {
    assertThatThrownBy(() -> describe(Map.of("VSwitchName", "vsw-a")))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.getErrCode()).isEqualTo("InvalidParameter");
              assertThat(e.getErrMsg()).contains("not a parameter of DescribeVSwitches");
            });
    assertThatThrownBy(() -> sdk.common("DescribeVSwitches", Map.of()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidAction.NotFound"));
  }

  @Test
  void takesInjectedFaultsLikeEveryOtherAction() {
    sandbox.faults().failNext("DescribeVSwitches", EciFault.SERVICE_UNAVAILABLE);
    assertThatThrownBy(() -> describe(Map.of()))
        .isInstanceOfSatisfying(
            ServerException.class, e -> assertThat(e.getErrCode()).isEqualTo("ServiceUnavailable"));
    assertThat(sandbox.counters().calls("DescribeVSwitches")).isEqualTo(1);
  }

  private JsonNode describe(Map<String, String> query) throws Exception {
    return JSON.readTree(sdk.vpc("DescribeVSwitches", query).getData());
  }

  private static List<String> ids(JsonNode body) {
    List<String> ids = new ArrayList<>();
    body.at("/VSwitches/VSwitch").forEach(v -> ids.add(v.get("VSwitchId").asText()));
    return ids;
  }
}
