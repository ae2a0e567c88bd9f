package io.eci.vnode.agent.engine;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.auth.AlibabaCloudCredentialsProvider;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.agent.settings.AgentConfig;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciSdkInstances;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Opens ECI and VPC in a region with the aliyun SDK: Alibaba Cloud's endpoints, or the plain-HTTP
 * one of {@code agent.eci.endpoint} (the sandbox).
 */
@ApplicationScoped
public class EciAccess {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<String> endpoint;

  EciAccess(AgentConfig config) {
    this.endpoint = config.eci().endpoint();
  }

  /** An SDK client of {@code region} that signs with what {@code credentials} gives now. */
  public IAcsClient sdk(String region, AlibabaCloudCredentialsProvider credentials) {
    return new DefaultAcsClient(DefaultProfile.getProfile(region), credentials);
  }

  /** The ECI instances port on that client. */
  public ContainerInstances instances(IAcsClient sdk, String region) {
    return new EciSdkInstances(sdk, region, endpoint);
  }

  /**
   * The zone of a vSwitch, from VPC's DescribeVSwitches: a new node is named after its first
   * vSwitch's zone, as the service names it.
   *
   * @throws IllegalStateException when VPC cannot say
   */
  public String zoneOf(IAcsClient sdk, String region, String vSwitchId) {
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
