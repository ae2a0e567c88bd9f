package io.eci.vnode.sandbox.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.exceptions.ClientException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ECS DescribeSecurityGroups, called through CommonRequest as the service's checks call it. */
class DescribeSecurityGroupsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "LTAIecs";
  private static final String SECRET = "ecs-secret";

  private EciSandbox sandbox;
  private Sdk sdk;

  @BeforeEach
  void startSandbox() {
    sandbox =
        EciSandbox.builder()
            .accessKey(KEY, SECRET)
            .securityGroup("sg-web")
            .securityGroup("sg-db")
            .instantProvisioning()
            .start();
    sdk = new Sdk(sandbox, KEY, SECRET);
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  @Test
  void describesOneSecurityGroupByIdInAWrappedArrayWithItsVpc() throws Exception {
    JsonNode body = describe(Map.of("SecurityGroupId", "sg-db"));
    assertThat(body.get("RequestId").asText()).isNotEmpty();
    assertThat(body.get("TotalCount").asInt()).isEqualTo(1);
    assertThat(body.get("RegionId").asText()).isEqualTo("cn-hangzhou");
    assertThat(body.at("/SecurityGroups/SecurityGroup"))
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.get("SecurityGroupId").asText()).isEqualTo("sg-db");
              assertThat(g.get("VpcId").asText()).isEqualTo("vpc-sandbox");
              assertThat(g.get("SecurityGroupType").asText()).isEqualTo("normal");
            });
  }

  @Test
  void anUnknownSecurityGroupIdGivesAnEmptyListNotAnError() throws Exception {
    JsonNode body = describe(Map.of("SecurityGroupId", "sg-nowhere"));
    assertThat(body.get("TotalCount").asInt()).isZero();
    assertThat(body.at("/SecurityGroups/SecurityGroup").isArray()).isTrue();
    assertThat(body.at("/SecurityGroups/SecurityGroup")).isEmpty();
  }

  @Test
  void listsEveryGroupOrTheIdsOfAJsonArrayAndFiltersByVpc() throws Exception {
    assertThat(ids(describe(Map.of()))).containsExactly("sg-web", "sg-db");
    assertThat(ids(describe(Map.of("SecurityGroupIds", "[\"sg-db\",\"sg-nowhere\"]"))))
        .containsExactly("sg-db");
    assertThat(ids(describe(Map.of("VpcId", "vpc-other")))).isEmpty();
    assertThatThrownBy(() -> describe(Map.of("SecurityGroupIds", "sg-db")))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("InvalidParameter"));
  }

  @Test
  void anInstanceGetsOnlyASecurityGroupThatExists() throws Exception {
    var refused = Sdk.createRequest("web", "vsw-sandbox-a", Map.of());
    refused.setSecurityGroupId("sg-nowhere");
    assertThatThrownBy(() -> sdk.call(refused))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidSecurityGroupId.NotFound"));
    var accepted = Sdk.createRequest("web", "vsw-sandbox-a", Map.of());
    accepted.setSecurityGroupId("sg-web");
    assertThat(sdk.call(accepted).getContainerGroupId()).startsWith("eci-");
  }

  @Test
  void withoutConfiguredGroupsEveryIdThatLooksLikeOneExists() throws Exception {
    try (EciSandbox plain = EciSandbox.builder().accessKey(KEY, SECRET).start()) {
      var answer =
          new Sdk(plain, KEY, SECRET)
              .common(
                  "Ecs",
                  "2014-05-26",
                  "DescribeSecurityGroups",
                  Map.of("SecurityGroupId", "sg-any"));
      assertThat(ids(JSON.readTree(answer.getData()))).containsExactly("sg-any");
    }
  }

  @Test
  void aWrongAccessKeyIsRefusedAsOnEciActions() {
    Sdk wrong = new Sdk(sandbox, "LTAInobody", SECRET);
    assertThatThrownBy(() -> describeWith(wrong, Map.of("SecurityGroupId", "sg-web")))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidAccessKeyId.NotFound"));
  }

  private JsonNode describe(Map<String, String> query) throws Exception {
    return describeWith(sdk, query);
  }

  private static JsonNode describeWith(Sdk client, Map<String, String> query) throws Exception {
    return JSON.readTree(
        client.common("Ecs", "2014-05-26", "DescribeSecurityGroups", query).getData());
  }

  private static List<String> ids(JsonNode body) {
    List<String> ids = new ArrayList<>();
    body.at("/SecurityGroups/SecurityGroup")
        .forEach(g -> ids.add(g.get("SecurityGroupId").asText()));
    return ids;
  }
}
