package io.eci.vnode.agent.engine;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.auth.AlibabaCloudCredentialsProvider;
import com.aliyuncs.profile.DefaultProfile;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.agent.settings.AgentConfig;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.eci.VSwitchZones;
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
    return VSwitchZones.zoneOf(sdk, region, endpoint, vSwitchId);
  }
}
