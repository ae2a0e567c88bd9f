package io.eci.vnode.sandbox.eci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two actions eci 1.0.13 has no class for, reached through CommonRequest as the product will.
 */
class NewerActionsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EciSandbox sandbox;
  private Sdk sdk;

  @BeforeEach
  void startSandbox() {
    sandbox =
        EciSandbox.builder()
            .accessKey("LTAInewer", "newer-secret")
            .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/24")
            .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/24")
            .start();
    sdk = new Sdk(sandbox, "LTAInewer", "newer-secret");
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  @Test
  void describesContainerGroupStatusInKubernetesTerms() throws Exception {
    String id = sdk.create("web", "vsw-a", Map.of("cluster", "c1"));
    sdk.create("other", "vsw-a", Map.of("cluster", "c2"));
    sandbox.clock().advance(Duration.ofSeconds(4));

    var answer =
        sdk.common(
            "DescribeContainerGroupStatus", Map.of("Tag.1.Key", "cluster", "Tag.1.Value", "c1"));
    assertThat(answer.getHttpStatus()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.getData());
    assertThat(body.get("Data")).hasSize(1);
    JsonNode data = body.get("Data").get(0);
    assertThat(data.get("containerGroupId").asText()).isEqualTo(id);
    assertThat(data.at("/podStatus/phase").asText()).isEqualTo("Running");
    assertThat(data.at("/podStatus/podIP").asText()).startsWith("10.1.0.");
    assertThat(data.at("/podStatus/containerStatuses/0/state/running/startedAt").asText())
        .isNotEmpty();
  }

  @Test
  void describesAvailableResourcesWithWrappedArraysAndStockPerZone() throws Exception {
    sandbox.faults().stockOut("cn-hangzhou-b", Faults.StockOut.REJECT);
    var answer = sdk.common("DescribeAvailableResource", Map.of());
    JsonNode zones = JSON.readTree(answer.getData()).at("/AvailableZones/AvailableZone");
    assertThat(zones).hasSize(2);
    assertThat(zones.get(0).get("ZoneId").asText()).isEqualTo("cn-hangzhou-a");
    assertThat(
            zones
                .get(0)
                .at(
                    "/AvailableResources/AvailableResource/0/SupportedResources/SupportedResource/0/StatusCategory")
                .asText())
        .isEqualTo("WithStock");
    assertThat(
            zones
                .get(1)
                .at(
                    "/AvailableResources/AvailableResource/0/SupportedResources/SupportedResource/0/StatusCategory")
                .asText())
        .isEqualTo("WithoutStock");
  }
}
