package io.eci.vnode.agent;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eci.vnode.sandbox.eci.Accounts;

/** STS credentials from the sandbox, through the real SDK, as the service hands them to agents. */
final class SandboxSts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SandboxSts() {}

  /** A fresh AssumeRole answer in the configuration's {@code sts} credentials form. */
  static ObjectNode assumedRoleCredentials() throws Exception {
    CommonRequest request = new CommonRequest();
    request.setSysProduct("Sts");
    request.setSysVersion("2015-04-01");
    request.setSysAction("AssumeRole");
    request.setSysMethod(MethodType.POST);
    request.setSysDomain(AgentWorld.eci.endpoint());
    request.setSysProtocol(ProtocolType.HTTP);
    request.putQueryParameter("RoleArn", "acs:ram::" + Accounts.ACCOUNT_ID + ":role/eci-agent");
    request.putQueryParameter("RoleSessionName", "agent-test");
    JsonNode credentials =
        JSON.readTree(
                new DefaultAcsClient(
                        DefaultProfile.getProfile("cn-hangzhou", AgentWorld.KEY, AgentWorld.SECRET))
                    .getCommonResponse(request)
                    .getData())
            .path("Credentials");
    return JSON.createObjectNode()
        .put("type", "sts")
        .put("accessKeyId", credentials.path("AccessKeyId").asText())
        .put("accessKeySecret", credentials.path("AccessKeySecret").asText())
        .put("securityToken", credentials.path("SecurityToken").asText())
        .put("expiresAt", credentials.path("Expiration").asText());
  }
}
