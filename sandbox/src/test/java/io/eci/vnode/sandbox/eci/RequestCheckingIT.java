package io.eci.vnode.sandbox.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.auth.Signer;
import com.aliyuncs.eci.model.v20180808.DeleteContainerGroupRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ErrorType;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.regions.ProductDomain;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every refused request gets the gateway's code and a message naming what is wrong; never a 500 or
 * a hang.
 */
class RequestCheckingIT {

  private static final String KEY = "LTAIchecks";
  private static final String SECRET = "checks-secret";

  private EciSandbox sandbox;
  private Sdk sdk;

  @BeforeEach
  void startSandbox() {
    sandbox = EciSandbox.builder().accessKey(KEY, SECRET).start();
    sdk = new Sdk(sandbox, KEY, SECRET);
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  @Test
  void aWrongSecretIsReportedByTheSdkAsAnInvalidSecret() {
    Sdk wrong = new Sdk(sandbox, KEY, "not-the-secret");
    // The SDK says InvalidAccessKeySecret only when the server's string-to-sign equals its own.
    assertThatThrownBy(() -> wrong.call(new DescribeContainerGroupsRequest()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("SDK.InvalidAccessKeySecret"));
    assertThat(sandbox.counters().errors("SignatureDoesNotMatch")).isEqualTo(1);
  }

  @Test
  void anUnknownAccessKeyIsNotFound() {
    Sdk stranger = new Sdk(sandbox, "LTAIstranger", SECRET);
    assertThatThrownBy(() -> stranger.call(new DescribeContainerGroupsRequest()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidAccessKeyId.NotFound"));
  }

  @Test
  void aMissingRequiredParameterIsNamed() {
    assertThatThrownBy(() -> sdk.call(new DeleteContainerGroupRequest()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.getErrCode()).isEqualTo("MissingParameter");
              assertThat(e.getErrMsg()).contains("\"ContainerGroupId\"");
              assertThat(e.getErrorType()).isEqualTo(ErrorType.Client);
            });
  }

  @Test
  void anUnknownParameterIsNamed() {
    assertThatThrownBy(() -> sdk.common("DescribeContainerGroups", Map.of("Tags.1.Key", "cluster")))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.getErrCode()).isEqualTo("InvalidParameter");
              assertThat(e.getErrMsg())
                  .contains("\"Tags.1.Key\"")
                  .contains("not a parameter of DescribeContainerGroups");
            });
  }

  @Test
  void aMalformedJsonArrayParameterIsNamed() {
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    describe.setContainerGroupIds("[eci-1");
    assertThatThrownBy(() -> sdk.call(describe))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.getErrCode()).isEqualTo("InvalidParameter");
              assertThat(e.getErrMsg()).contains("\"ContainerGroupIds\"").contains("JSON array");
            });
  }

  @Test
  void anUnknownActionIsNotFound() {
    assertThatThrownBy(() -> sdk.common("LaunchRocket", Map.of()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidAction.NotFound"));
  }

  @Test
  void aReplayedRequestIsRefusedForItsNonce() throws Exception {
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    describe.setSysRegionId("cn-hangzhou");
    describe.setSysProtocol(ProtocolType.HTTP);
    BasicCredentials credentials = new BasicCredentials(KEY, SECRET);
    String url =
        describe
            .signRequest(
                Signer.getSigner(credentials),
                credentials,
                FormatType.JSON,
                new ProductDomain("Eci", sandbox.endpoint()))
            .getSysUrl();

    assertThat(get(url).statusCode()).isEqualTo(200);
    HttpResponse<String> replay = get(url);
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(replay.body()).contains("\"Code\":\"SignatureNonceUsed\"");
  }

  @Test
  void aStaleTimestampIsRefused() throws Exception {
    Map<String, String> params = new TreeMap<>();
    params.put("Action", "DescribeContainerGroups");
    params.put("Version", "2018-08-08");
    params.put("Format", "JSON");
    params.put("AccessKeyId", KEY);
    params.put("SignatureMethod", "HMAC-SHA1");
    params.put("SignatureVersion", "1.0");
    params.put("SignatureNonce", "stale-1");
    params.put("RegionId", "cn-hangzhou");
    params.put(
        "Timestamp",
        Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS).toString());
    params.put("Signature", RpcSignature.sign("GET", params, SECRET));
    String query =
        params.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));

    HttpResponse<String> stale = get("http://" + sandbox.endpoint() + "/?" + query);
    assertThat(stale.statusCode()).isEqualTo(400);
    assertThat(stale.body()).contains("\"Code\":\"InvalidTimeStamp.Expired\"");
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
