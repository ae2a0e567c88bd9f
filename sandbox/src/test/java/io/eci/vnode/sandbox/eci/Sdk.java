package io.eci.vnode.sandbox.eci;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.CommonRequest;
import com.aliyuncs.CommonResponse;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse.ContainerGroup;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import java.util.List;
import java.util.Map;

/** The real aliyun SDK, pointed at a sandbox: the only way the tests talk to it. */
final class Sdk {

  private final EciSandbox sandbox;
  private final DefaultAcsClient client;

  Sdk(EciSandbox sandbox, String accessKeyId, String secret) {
    this.sandbox = sandbox;
    this.client =
        new DefaultAcsClient(DefaultProfile.getProfile(sandbox.region(), accessKeyId, secret));
  }

  Sdk(EciSandbox sandbox, DefaultAcsClient client) {
    this.sandbox = sandbox;
    this.client = client;
  }

  DefaultAcsClient client() {
    return client;
  }

  /** Sends a typed request to the sandbox. */
  <T extends AcsResponse> T call(AcsRequest<T> request) throws ClientException {
    request.setSysEndpoint(sandbox.endpoint());
    request.setSysProtocol(ProtocolType.HTTP);
    request.setSysRegionId(sandbox.region());
    return client.getAcsResponse(request);
  }

  /** Sends an ECI action the 1.0.13 SDK has no class for. */
  CommonResponse common(String action, Map<String, String> query) throws ClientException {
    return common("Eci", "2018-08-08", action, query);
  }

  /** Sends a VPC action, as the product does (it has no VPC SDK). */
  CommonResponse vpc(String action, Map<String, String> query) throws ClientException {
    return common("Vpc", "2016-04-28", action, query);
  }

  /** Sends any product's action through CommonRequest, POST with the parameters in the query. */
  CommonResponse common(String product, String version, String action, Map<String, String> query)
      throws ClientException {
    CommonRequest q = new CommonRequest();
    q.setSysDomain(sandbox.endpoint());
    q.setSysProtocol(ProtocolType.HTTP);
    q.setSysProduct(product);
    q.setSysVersion(version);
    q.setSysAction(action);
    q.setSysMethod(MethodType.POST);
    q.setSysRegionId(sandbox.region());
    query.forEach(q::putQueryParameter);
    return client.getCommonResponse(q);
  }

  /** Creates an instance with one container and the given tags; returns its id. */
  String create(String name, String vSwitchIds, Map<String, String> tags, String... command)
      throws ClientException {
    return call(createRequest(name, vSwitchIds, tags, command)).getContainerGroupId();
  }

  static CreateContainerGroupRequest createRequest(
      String name, String vSwitchIds, Map<String, String> tags, String... command) {
    CreateContainerGroupRequest create = new CreateContainerGroupRequest();
    create.setContainerGroupName(name);
    create.setSecurityGroupId("sg-sandbox");
    create.setVSwitchId(vSwitchIds);
    CreateContainerGroupRequest.Container container = new CreateContainerGroupRequest.Container();
    container.setName("app");
    container.setImage("nginx:1.27");
    container.setCpu(0.5f);
    container.setMemory(1.0f);
    if (command.length > 0) {
      container.setCommands(List.of(command));
    }
    create.setContainers(List.of(container));
    create.setTags(
        tags.entrySet().stream()
            .map(
                e -> {
                  CreateContainerGroupRequest.Tag tag = new CreateContainerGroupRequest.Tag();
                  tag.setKey(e.getKey());
                  tag.setValue(e.getValue());
                  return tag;
                })
            .toList());
    return create;
  }

  /** The instance with this id, as DescribeContainerGroups shows it. */
  ContainerGroup describe(String id) throws ClientException {
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    describe.setContainerGroupIds("[\"" + id + "\"]");
    List<ContainerGroup> groups = call(describe).getContainerGroups();
    return groups.isEmpty() ? null : groups.get(0);
  }

  /** One page of instances carrying a tag. */
  DescribeContainerGroupsResponse describeByTag(
      String key, String value, Integer limit, String nextToken) throws ClientException {
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    DescribeContainerGroupsRequest.Tag tag = new DescribeContainerGroupsRequest.Tag();
    tag.setKey(key);
    tag.setValue(value);
    describe.setTags(List.of(tag));
    describe.setLimit(limit);
    describe.setNextToken(nextToken);
    return call(describe);
  }
}
