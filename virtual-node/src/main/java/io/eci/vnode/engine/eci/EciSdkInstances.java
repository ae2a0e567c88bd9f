package io.eci.vnode.engine.eci;

import com.aliyuncs.AcsRequest;
import com.aliyuncs.AcsResponse;
import com.aliyuncs.CommonRequest;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.eci.model.v20180808.DeleteContainerGroupRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse.ContainerGroup;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.engine.eci.EciException.Kind;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link ContainerInstances} on aliyun-java-sdk-eci, the only implementation; tests point it at the
 * sandbox.
 */
public final class EciSdkInstances implements ContainerInstances {

  /** ECI serves at most this many groups per DescribeContainerGroups page. */
  static final int PAGE = 20;

  /**
   * DescribeContainerGroupStatus pages: the sandbox serves up to 200; ECI's documented maximum is
   * not verified here, and a refusal would surface as InvalidParameter, not as missing pods.
   */
  static final int STATUS_PAGE = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> AUTHENTICATION =
      Set.of(
          "InvalidAccessKeyId.NotFound",
          "SDK.InvalidAccessKeySecret",
          "SignatureDoesNotMatch",
          "IncompleteSignature",
          "InvalidSecurityToken.Expired",
          "InvalidAccessKeyId.Inactive",
          "Forbidden.RAM");
  private static final Set<String> NO_STOCK =
      Set.of("OperationDenied.NoStock", "RecommendEmpty.InstanceTypeNoStock");
  private static final Set<String> TRANSIENT_CLIENT_CODES =
      Set.of("SDK.ServerUnreachable", "SDK.ReadTimeout", "SDK.RequestTryOrRetryFailed");
  private static final Set<String> INSTANCE_NOT_FOUND = Set.of("InvalidParameter.NotFound");

  private final IAcsClient client;
  private final String region;
  private final Optional<String> endpoint;

  /**
   * @param client an SDK client holding the credentials
   * @param region the region to call
   * @param endpoint {@code host:port} of a plain-HTTP endpoint (the sandbox), or empty for
   *     Alibaba's
   */
  public EciSdkInstances(IAcsClient client, String region, Optional<String> endpoint) {
    this.client = client;
    this.region = region;
    this.endpoint = endpoint;
  }

  @Override
  public String create(CreateInstance create) {
    create.request().setClientToken(create.clientToken());
    return call(create.request()).getContainerGroupId();
  }

  @Override
  public List<Instance> describeByTag(String key, String value) {
    List<Instance> all = new ArrayList<>();
    String token = null;
    do {
      DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
      DescribeContainerGroupsRequest.Tag tag = new DescribeContainerGroupsRequest.Tag();
      tag.setKey(key);
      tag.setValue(value);
      describe.setTags(List.of(tag));
      describe.setLimit(PAGE);
      describe.setNextToken(token);
      DescribeContainerGroupsResponse page = call(describe);
      page.getContainerGroups().forEach(g -> all.add(toInstance(g)));
      token = page.getNextToken();
    } while (token != null && !token.isEmpty());
    return all;
  }

  @Override
  public List<InstanceState> statusByTag(String key, String value) {
    List<InstanceState> all = new ArrayList<>();
    String token = null;
    do {
      CommonRequest request = new CommonRequest();
      request.setSysProduct("Eci");
      request.setSysVersion("2018-08-08");
      request.setSysAction("DescribeContainerGroupStatus");
      // POST as the SDK versions that have this action send it; parameters stay in the query.
      request.setSysMethod(MethodType.POST);
      request.setSysRegionId(region);
      request.putQueryParameter("Tag.1.Key", key);
      request.putQueryParameter("Tag.1.Value", value);
      request.putQueryParameter("Limit", Integer.toString(STATUS_PAGE));
      if (token != null) {
        request.putQueryParameter("NextToken", token);
      }
      endpoint.ifPresent(
          e -> {
            request.setSysDomain(e);
            request.setSysProtocol(ProtocolType.HTTP);
          });
      JsonNode page;
      try {
        page = JSON.readTree(client.getCommonResponse(request).getData());
      } catch (ClientException e) {
        throw classify(e);
      } catch (JsonProcessingException e) {
        throw new EciException(
            Kind.TRANSIENT,
            "InvalidResponse",
            "DescribeContainerGroupStatus answered with JSON that does not parse",
            e);
      }
      for (JsonNode group : page.path("Data")) {
        String status = group.path("status").asText("");
        all.add(
            new InstanceState(
                group.path("containerGroupId").asText(),
                status,
                status + "|" + group.path("podStatus")));
      }
      token = page.path("NextToken").asText("");
    } while (!token.isEmpty());
    return all;
  }

  @Override
  public List<Instance> describeByIds(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    if (ids.size() > PAGE) {
      throw new IllegalArgumentException("at most " + PAGE + " ids per call, got " + ids.size());
    }
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    describe.setContainerGroupIds(
        ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]")));
    describe.setLimit(PAGE);
    return call(describe).getContainerGroups().stream().map(EciSdkInstances::toInstance).toList();
  }

  @Override
  public void delete(String instanceId) {
    DeleteContainerGroupRequest delete = new DeleteContainerGroupRequest();
    delete.setContainerGroupId(instanceId);
    try {
      call(delete);
    } catch (EciException e) {
      if (e.kind() != Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  private <T extends AcsResponse> T call(AcsRequest<T> request) {
    request.setSysRegionId(region);
    endpoint.ifPresent(
        e -> {
          request.setSysEndpoint(e);
          request.setSysProtocol(ProtocolType.HTTP);
        });
    try {
      return client.getAcsResponse(request);
    } catch (ClientException e) {
      throw classify(e);
    }
  }

  /** The kind of an SDK failure, decided by its error code alone. */
  static EciException classify(ClientException e) {
    String code = e.getErrCode() == null ? "Unknown" : e.getErrCode();
    Kind kind;
    if (e instanceof ServerException || TRANSIENT_CLIENT_CODES.contains(code)) {
      kind = Kind.TRANSIENT;
    } else if (code.startsWith("Throttling")) {
      kind = Kind.THROTTLED;
    } else if (NO_STOCK.contains(code)) {
      kind = Kind.NO_STOCK;
    } else if (AUTHENTICATION.contains(code)) {
      kind = Kind.AUTHENTICATION;
    } else if (INSTANCE_NOT_FOUND.contains(code)) {
      kind = Kind.NOT_FOUND;
    } else {
      kind = Kind.INVALID_REQUEST;
    }
    return new EciException(kind, code, e.getErrMsg(), e);
  }

  private static Instance toInstance(ContainerGroup g) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (g.getTags() != null) {
      g.getTags().forEach(t -> tags.put(t.getKey(), t.getValue()));
    }
    List<Instance.ContainerStatus> containers = new ArrayList<>();
    if (g.getContainers() != null) {
      for (var c : g.getContainers()) {
        var current = c.getCurrentState();
        var previous = c.getPreviousState();
        containers.add(
            new Instance.ContainerStatus(
                c.getName(),
                c.getImage(),
                current == null ? "" : nullToEmpty(current.getState()),
                current == null ? "" : nullToEmpty(current.getDetailStatus()),
                current == null ? null : current.getExitCode(),
                current == null ? null : time(current.getStartTime()),
                current == null ? null : time(current.getFinishTime()),
                c.getRestartCount() == null ? 0 : c.getRestartCount(),
                previous == null ? null : previous.getExitCode()));
      }
    }
    List<Instance.Event> events =
        g.getEvents() == null
            ? List.of()
            : g.getEvents().stream()
                .map(ev -> new Instance.Event(ev.getType(), ev.getReason(), ev.getMessage()))
                .toList();
    return new Instance(
        g.getContainerGroupId(),
        g.getContainerGroupName(),
        EciStatus.fromWire(g.getStatus()),
        nullToEmpty(g.getStatus()),
        nullToEmpty(g.getZoneId()),
        nullToEmpty(g.getVSwitchId()),
        nullToEmpty(g.getIntranetIp()),
        Map.copyOf(tags),
        List.copyOf(containers),
        events,
        time(g.getCreationTime()));
  }

  private static Instant time(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
