package io.eci.vnode.sandbox.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionIT {

  private EciSandbox sandbox;
  private Sdk sdk;

  @BeforeEach
  void startSandbox() {
    sandbox =
        EciSandbox.builder()
            .accessKey("LTAIfaults", "faults-secret")
            .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/24")
            .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/24")
            .start();
    sdk = new Sdk(sandbox, "LTAIfaults", "faults-secret");
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  @Test
  void aStockOutInTheFirstZoneLandsTheInstanceInTheNext() throws Exception {
    sandbox.faults().stockOut("cn-hangzhou-a", Faults.StockOut.REJECT);
    String id = sdk.create("web", "vsw-a,vsw-b", Map.of());
    assertThat(sdk.describe(id).getZoneId()).isEqualTo("cn-hangzhou-b");
    assertThat(sdk.describe(id).getVSwitchId()).isEqualTo("vsw-b");
  }

  @Test
  void aStockOutInEveryZoneIsRefusedWithNoStock() {
    sandbox.faults().stockOut("cn-hangzhou-a", Faults.StockOut.REJECT);
    sandbox.faults().stockOut("cn-hangzhou-b", Faults.StockOut.REJECT);
    assertThatThrownBy(() -> sdk.create("web", "vsw-a,vsw-b", Map.of()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.getErrCode()).isEqualTo("OperationDenied.NoStock");
              assertThat(e).isNotInstanceOf(ServerException.class);
            });
    sandbox.faults().restock("cn-hangzhou-b");
    assertThat(sandbox.instanceCount()).isZero();
  }

  @Test
  void aStockOutFoundLateEndsInScheduleFailedWithANoStockEvent() throws Exception {
    sandbox.faults().stockOut("cn-hangzhou-a", Faults.StockOut.SCHEDULE_FAILED);
    String id = sdk.create("web", "vsw-a", Map.of());
    assertThat(sdk.describe(id).getStatus()).isEqualTo("Scheduling");
    sandbox.clock().advance(Duration.ofSeconds(2));
    var failed = sdk.describe(id);
    assertThat(failed.getStatus()).isEqualTo("ScheduleFailed");
    assertThat(failed.getIntranetIp()).isEmpty();
    assertThat(failed.getEvents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("NoStock");
              assertThat(e.getType()).isEqualTo("Warning");
            });
  }

  @Test
  void callsAboveTheQpsLimitAreThrottledAndLaterOnesGoThrough() {
    sandbox.faults().throttleAbove(2);
    int throttled = 0;
    for (int i = 0; i < 12; i++) {
      try {
        sdk.call(new DescribeContainerGroupsRequest());
      } catch (ClientException e) {
        assertThat(e.getErrCode()).isEqualTo("Throttling.User");
        throttled++;
      }
    }
    assertThat(throttled).isGreaterThanOrEqualTo(8);
    assertThat(sandbox.counters().errors("Throttling.User")).isEqualTo(throttled);
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(() -> sdk.call(new DescribeContainerGroupsRequest()) != null);
  }

  @Test
  void aQueuedFaultFailsExactlyTheNextCallOfItsAction() throws Exception {
    sandbox.faults().failNext("CreateContainerGroup", EciFault.NO_STOCK);
    sdk.call(new DescribeContainerGroupsRequest());
    assertThatThrownBy(() -> sdk.create("web", "vsw-a", Map.of()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("OperationDenied.NoStock"));
    assertThat(sdk.create("web", "vsw-a", Map.of())).startsWith("eci-");
  }

  @Test
  void serverErrorsAreServerExceptions() throws Exception {
    sandbox.faults().serverErrors(1.0);
    assertThatThrownBy(() -> sdk.call(new DescribeContainerGroupsRequest()))
        .isInstanceOfSatisfying(
            ServerException.class, e -> assertThat(e.getErrCode()).isEqualTo("ServiceUnavailable"));
    sandbox.faults().serverErrors(0);
    assertThat(sdk.call(new DescribeContainerGroupsRequest()).getContainerGroups()).isEmpty();
  }

  @Test
  void addedLatencyDelaysAnswers() throws Exception {
    sandbox.faults().latency(Duration.ofMillis(300));
    long started = System.nanoTime();
    sdk.call(new DescribeContainerGroupsRequest());
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aStalledEndpointTimesTheClientOutUntilReleased() throws Exception {
    sandbox.faults().stall();
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    describe.setSysReadTimeout(500);
    assertThatThrownBy(() -> sdk.call(describe))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("SDK.ReadTimeout"));
    sandbox.faults().release();
    assertThat(sdk.call(new DescribeContainerGroupsRequest()).getContainerGroups()).isEmpty();
  }

  @Test
  void theAdminApiInjectsFaultsAndShowsCounters() throws Exception {
    HttpResponse<String> applied =
        post(
            "/_sandbox/faults",
            "{\"fault\":\"failNext\",\"action\":\"DescribeContainerGroups\",\"error\":\"THROTTLING\"}");
    assertThat(applied.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> sdk.call(new DescribeContainerGroupsRequest()))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("Throttling.User"));

    HttpResponse<String> counters =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + sandbox.endpoint() + "/_sandbox/counters"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(counters.body())
        .contains("\"DescribeContainerGroups\":1")
        .contains("\"Throttling.User\":1");

    assertThat(post("/_sandbox/faults", "{\"fault\":\"meteor\"}").statusCode()).isEqualTo(400);
    assertThat(post("/_sandbox/clock", "{\"seconds\":30}").body()).contains("now");
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + sandbox.endpoint() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
