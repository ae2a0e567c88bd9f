package io.eci.vnode.engine.eci;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * The zone of a vSwitch, from VPC's DescribeVSwitches: a new virtual node is named after its first
 * vSwitch's zone, by whichever host runs the engine (the service or the agent).
 */
public final class VSwitchZones {

  private static final ObjectMapper JSON = new ObjectMapper();

  private VSwitchZones() {}

  /**
   * @param endpoint {@code host:port} of a plain-HTTP stand-in serving VPC, or empty for Alibaba
   *     Cloud's own endpoint
   * @throws IllegalStateException without a cause when the vSwitch is not in the region; with the
   *     SDK's exception as its cause when VPC could not be read
   */
  public static String zoneOf(
      IAcsClient sdk, String region, Optional<String> endpoint, String vSwitchId) {
    CommonRequest request = new CommonRequest();
    request.setSysProduct("Vpc");
    request.setSysVersion("2016-04-28");
    request.setSysAction("DescribeVSwitches");
    request.setSysMethod(MethodType.POST);
    request.setSysRegionId(region);
    request.putQueryParameter("VSwitchId", vSwitchId);
    if (endpoint.isPresent()) {
      request.setSysDomain(endpoint.get());
      request.setSysProtocol(ProtocolType.HTTP);
    } else {
      request.setSysDomain("vpc.aliyuncs.com");
    }
    try {
      JsonNode answer =
          JSON.readTree(sdk.getCommonResponse(request).getData()).path("VSwitches").path("VSwitch");
      for (JsonNode vSwitch : answer) {
        if (vSwitchId.equals(vSwitch.path("VSwitchId").asText())) {
          return vSwitch.path("ZoneId").asText();
        }
      }
      throw new IllegalStateException(
          "vSwitch " + vSwitchId + " does not exist in region " + region);
    } catch (ClientException e) {
      throw new IllegalStateException(
          "the zone of vSwitch "
              + vSwitchId
              + " could not be read: "
              + e.getErrCode()
              + ": "
              + e.getErrMsg(),
          e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("VPC answered DescribeVSwitches with unreadable JSON", e);
    }
  }
}
