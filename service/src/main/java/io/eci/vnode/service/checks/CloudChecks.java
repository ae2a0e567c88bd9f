package io.eci.vnode.service.checks;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.service.hosting.ClusterConnections;
import io.eci.vnode.service.hosting.HostedCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The cloud's part of the checks: the ECI credentials work (a read-only DescribeContainerGroups by
 * a tag nothing carries; for a RAM role this first assumes it through STS), then, at once, each
 * vSwitch exists in the region (its zone is kept) and so does the security group.
 */
final class CloudChecks {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHECK_TAG = "eci-vnode-registration-check";

  private final ClusterConnections connections;
  private final Executor executor;

  CloudChecks(ClusterConnections connections, Executor executor) {
    this.connections = connections;
    this.executor = executor;
  }

  /** Checks the cloud settings of {@code cluster}, adding what it finds to {@code findings}. */
  void check(HostedCluster cluster, Findings findings) {
    String credentialsField =
        cluster.eciCredentials() instanceof EciCredentials.RamRole
            ? "eci.credentials.ramRoleArn"
            : "eci.credentials";
    IAcsClient client;
    try {
      client = connections.cloud(cluster);
      new EciSdkInstances(client, cluster.region(), connections.endpoint())
          .describeByTag(CHECK_TAG, UUID.randomUUID().toString());
    } catch (EciException e) {
      if (e.isRetryable()) {
        findings.unverified("ECI could not check the credentials: " + e.getMessage());
      } else {
        findings.problem(credentialsField, "were refused: " + e.getMessage());
      }
      return;
    } catch (IllegalStateException e) {
      // A RAM role this service has no identity to assume.
      findings.problem(credentialsField, e.getMessage());
      return;
    }
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    List<String> vSwitches = cluster.vSwitchIds();
    for (int i = 0; i < vSwitches.size(); i++) {
      String field = "eci.vSwitchIds[" + i + "]";
      String id = vSwitches.get(i);
      checks.add(CompletableFuture.runAsync(() -> vSwitch(cluster, id, field, findings), executor));
    }
    checks.add(
        CompletableFuture.runAsync(() -> securityGroup(cluster, client, findings), executor));
    checks.forEach(CompletableFuture::join);
  }

  private void vSwitch(HostedCluster cluster, String id, String field, Findings findings) {
    try {
      findings.zone(id, connections.zoneOf(cluster, id));
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ServerException) {
        findings.unverified("VPC could not check vSwitch " + id + ": " + e.getMessage());
      } else {
        // Without a cause the vSwitch is not in the region; with one, VPC refused the read.
        findings.problem(field, e.getMessage());
      }
    }
  }

  private void securityGroup(HostedCluster cluster, IAcsClient client, Findings findings) {
    String id = cluster.securityGroupId();
    String field = "eci.securityGroupId";
    try {
      JsonNode groups =
          JSON.readTree(client.getCommonResponse(describeSecurityGroup(cluster, id)).getData())
              .path("SecurityGroups")
              .path("SecurityGroup");
      for (JsonNode group : groups) {
        if (id.equals(group.path("SecurityGroupId").asText())) {
          return;
        }
      }
      findings.problem(
          field, "security group " + id + " does not exist in region " + cluster.region());
    } catch (ServerException e) {
      findings.unverified(
          "ECS could not check security group "
              + id
              + ": "
              + e.getErrCode()
              + ": "
              + e.getErrMsg());
    } catch (ClientException e) {
      findings.problem(field, "could not be read: " + e.getErrCode() + ": " + e.getErrMsg());
    } catch (JsonProcessingException e) {
      findings.unverified("ECS answered DescribeSecurityGroups with unreadable JSON");
    }
  }

  private CommonRequest describeSecurityGroup(HostedCluster cluster, String id) {
    CommonRequest request = new CommonRequest();
    request.setSysProduct("Ecs");
    request.setSysVersion("2014-05-26");
    request.setSysAction("DescribeSecurityGroups");
    request.setSysMethod(MethodType.POST);
    request.setSysRegionId(cluster.region());
    request.putQueryParameter("SecurityGroupId", id);
    if (connections.endpoint().isPresent()) {
      request.setSysDomain(connections.endpoint().get());
      request.setSysProtocol(ProtocolType.HTTP);
    } else {
      request.setSysDomain("ecs.aliyuncs.com");
    }
    return request;
  }
}
