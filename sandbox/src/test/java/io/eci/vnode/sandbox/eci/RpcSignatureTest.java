package io.eci.vnode.sandbox.eci;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyuncs.RpcAcsRequest;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.auth.Signer;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsRequest;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.HttpRequest;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.regions.ProductDomain;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcSignatureTest {

  private static final String SECRET = "testAccessKeySecret";

  @Test
  void reproducesTheSignatureOfARecordedSdkRequest() {
    Map<String, String> params = new HashMap<>();
    params.put("Tag.1.Key", "vk-node");
    params.put("Action", "DescribeContainerGroups");
    params.put("ContainerGroupIds", "[\"eci-1\",\"eci-2\"]");
    params.put("Timestamp", "2026-11-24T15:10:31Z");
    params.put("SignatureVersion", "1.0");
    params.put("Format", "JSON");
    params.put("SignatureNonce", "e117e03c95afafde10308668d6e10a1c");
    params.put("Version", "2018-08-08");
    params.put("AccessKeyId", "testAccessKeyId");
    params.put("Tag.1.Value", "virtual-node-1");
    params.put("SignatureMethod", "HMAC-SHA1");
    params.put("Limit", "20");
    params.put("RegionId", "cn-hangzhou");

    assertThat(RpcSignature.stringToSign("GET", params))
        .isEqualTo(
            "GET&%2F&AccessKeyId%3DtestAccessKeyId%26Action%3DDescribeContainerGroups%26ContainerGroupIds%3D"
                + "%255B%2522eci-1%2522%252C%2522eci-2%2522%255D%26Format%3DJSON%26Limit%3D20%26RegionId%3D"
                + "cn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3De117e03c95afafde10308668d6e10a1c"
                + "%26SignatureVersion%3D1.0%26Tag.1.Key%3Dvk-node%26Tag.1.Value%3Dvirtual-node-1%26Timestamp%3D"
                + "2026-11-24T15%253A10%253A31Z%26Version%3D2018-08-08");
    assertThat(RpcSignature.sign("GET", params, SECRET)).isEqualTo("ndeo+wRSBZ4N7y4QMtLGVYuce1g=");
  }

  @Test
  void verifiesWhatTheRealSdkSigns() throws Exception {
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    describe.setSysRegionId("cn-hangzhou");
    describe.setContainerGroupIds("[\"eci-a\",\"eci-b\"]");
    describe.setLimit(20);
    Map<String, String> signed = signWithSdk(describe);

    assertThat(RpcSignature.verify("GET", signed, SECRET, signed.get("Signature"))).isTrue();
  }

  @Test
  void verifiesValuesWhoseWireAndCanonicalEncodingsDiffer() throws Exception {
    CreateContainerGroupRequest create = new CreateContainerGroupRequest();
    create.setSysRegionId("cn-hangzhou");
    create.setContainerGroupName("nginx-*~ é");
    CreateContainerGroupRequest.Container container = new CreateContainerGroupRequest.Container();
    container.setName("app");
    container.setImage("nginx:1.27");
    container.setCommands(List.of("/bin/sh", "-c", "echo a+b=c & sleep 1"));
    create.setContainers(List.of(container));
    Map<String, String> signed = signWithSdk(create);

    assertThat(signed.get("ContainerGroupName")).isEqualTo("nginx-*~ é");
    assertThat(RpcSignature.verify("GET", signed, SECRET, signed.get("Signature"))).isTrue();
  }

  @Test
  void rejectsATamperedParameterAndAWrongSecret() throws Exception {
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    describe.setSysRegionId("cn-hangzhou");
    Map<String, String> signed = signWithSdk(describe);
    String signature = signed.get("Signature");

    assertThat(RpcSignature.verify("GET", signed, "anotherSecret", signature)).isFalse();
    signed.put("RegionId", "cn-beijing");
    assertThat(RpcSignature.verify("GET", signed, SECRET, signature)).isFalse();
    assertThat(RpcSignature.verify("GET", signed, SECRET, null)).isFalse();
  }

  /**
   * Signs a request with the SDK's own signer and returns the decoded query parameters it would
   * send.
   */
  private static Map<String, String> signWithSdk(RpcAcsRequest<?> request) throws Exception {
    BasicCredentials credentials = new BasicCredentials("testAccessKeyId", SECRET);
    request.setSysProtocol(ProtocolType.HTTP);
    HttpRequest http =
        request.signRequest(
            Signer.getSigner(credentials),
            credentials,
            FormatType.JSON,
            new ProductDomain("Eci", "127.0.0.1:1"));
    Map<String, String> params = new HashMap<>();
    for (String pair : URI.create(http.getSysUrl()).getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      params.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
    }
    return params;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
