package io.eci.vnode.e2e;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse.ContainerGroup;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.sandbox.eci.EciSandbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What reached the ECI sandbox, for assertions: every CreateContainerGroup and DeleteContainerGroup
 * as it arrived (with the moment), and the instances as the real SDK describes them.
 */
final class EciCalls {

  /** One call as the sandbox received it. */
  record Call(Instant at, String action, Map<String, String> params) {
    String param(String name) {
      return params.getOrDefault(name, "");
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final DefaultAcsClient sdk;
  private final String endpoint;

  EciCalls(EciSandbox eci) {
    eci.counters()
        .onCall(
            (action, params) -> {
              if (action.equals("CreateContainerGroup") || action.equals("DeleteContainerGroup")) {
                calls.add(new Call(Instant.now(), action, Map.copyOf(params)));
              }
            });
    this.sdk =
        new DefaultAcsClient(
            DefaultProfile.getProfile(
                eci.region(), Product.ACCESS_KEY_ID, Product.ACCESS_KEY_SECRET));
    this.endpoint = eci.endpoint();
  }

  /** The CreateContainerGroup calls for the pod with this uid (its ClientToken). */
  List<Call> createsOf(String podUid) {
    return calls.stream()
        .filter(c -> c.action().equals("CreateContainerGroup"))
        .filter(c -> c.param("ClientToken").equals(podUid))
        .toList();
  }

  /** The DeleteContainerGroup calls for one instance. */
  List<Call> deletesOf(String instanceId) {
    return calls.stream()
        .filter(c -> c.action().equals("DeleteContainerGroup"))
        .filter(c -> c.param("ContainerGroupId").equals(instanceId))
        .toList();
  }

  /** Every instance ECI holds, of any state, as the SDK describes them. */
  List<ContainerGroup> instances() {
    List<ContainerGroup> all = new ArrayList<>();
    String next = null;
    do {
      DescribeContainerGroupsRequest request = new DescribeContainerGroupsRequest();
      request.setSysEndpoint(endpoint);
      request.setSysProtocol(ProtocolType.HTTP);
      request.setLimit(20);
      request.setNextToken(next);
      try {
        DescribeContainerGroupsResponse page = sdk.getAcsResponse(request);
        all.addAll(page.getContainerGroups());
        next = page.getNextToken();
      } catch (ClientException e) {
        throw new AssertionError("DescribeContainerGroups failed: " + e.getMessage(), e);
      }
    } while (next != null && !next.isEmpty());
    return all;
  }

  /** The instances whose pod-name tag is {@code name} in {@code namespace}. */
  List<ContainerGroup> instancesOf(String namespace, String name) {
    return instances().stream()
        .filter(g -> tag(g, "eci-vnode/namespace").equals(namespace))
        .filter(g -> tag(g, "eci-vnode/pod-name").equals(name))
        .toList();
  }

  static String tag(ContainerGroup group, String key) {
    return group.getTags().stream()
        .filter(t -> key.equals(t.getKey()))
        .map(ContainerGroup.Label::getValue)
        .findFirst()
        .orElse("");
  }
}
