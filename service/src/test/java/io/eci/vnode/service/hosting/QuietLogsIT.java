package io.eci.vnode.service.hosting;

import static io.eci.vnode.service.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.EciSandboxTestResource;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clusters whose API servers are down are logged as an operator wants to read it: one WARN per
 * cluster with the cause and no stack trace, then one summary line per period while it lasts. The
 * summary period is shortened to 15 s here ({@code vnode.hosting.outage-summary-period}; 1 min by
 * default): the same behaviour, four times as fast.
 */
@QuarkusTest
@TestProfile(QuietLogsIT.Profile.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(EciSandboxTestResource.class)
class QuietLogsIT {

  /** Hosting on, outages summed up every 15 s. */
  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "vnode.hosting.enabled", "true",
          "vnode.hosting.replica", "quiet-1",
          "vnode.hosting.period", "1s",
          "vnode.hosting.lease", "4s",
          "vnode.hosting.status-period", "300ms",
          "vnode.hosting.outage-summary-period", "15s");
    }
  }

  private static final Duration WINDOW = Duration.ofSeconds(35);

  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            String message =
                record instanceof ExtLogRecord ext
                    ? ext.getFormattedMessage()
                    : String.valueOf(record.getMessage());
            lines.add(
                new Line(
                    Instant.now(),
                    record.getLevel(),
                    record.getLoggerName(),
                    message,
                    record.getThrown() != null));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private record Line(Instant at, Level level, String logger, String message, boolean stackTrace) {}

  @BeforeEach
  void captureTheLog() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    Logger.getLogger("").removeHandler(capture);
  }

  @Test
  void threeClustersWhoseApiServersAreDownLogOneWarningEachThenOneSummaryAPeriod()
      throws IOException {
    TestTenant tenant = Api.newTenant();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(registerUnreachable(tenant, "down-" + i));
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> about(ids, l -> l.message().contains(" is failing: ")).size() == 3);
    assertThat(about(ids, l -> l.message().contains(" is failing: ")))
        .allMatch(l -> l.level().intValue() == Level.WARNING.intValue())
        .allMatch(l -> l.message().contains("Connection refused"))
        .noneMatch(Line::stackTrace);

    Instant from = Instant.now();
    await()
        .during(WINDOW)
        .atMost(WINDOW.plusSeconds(5))
        .until(() -> about(ids, l -> l.at().isAfter(from)).size() < 10);

    List<Line> after = about(ids, l -> l.at().isAfter(from));
    assertThat(after).as("a summary per cluster per period, nothing else").hasSizeBetween(3, 9);
    assertThat(after).allMatch(l -> l.message().contains("still failing since"));
    assertThat(lines).as("no stack trace at INFO or above").noneMatch(Line::stackTrace);
  }

  /**
   * The lines about these clusters (naming one of them), and every line of the Kubernetes client
   * and its HTTP stack, which name no cluster.
   */
  private List<Line> about(List<String> ids, java.util.function.Predicate<Line> also) {
    return lines.stream()
        .filter(
            l ->
                ids.stream().anyMatch(l.message()::contains)
                    || l.logger().startsWith("io.fabric8")
                    || l.logger().startsWith("io.vertx"))
        .filter(also)
        .toList();
  }

  /** A managed cluster whose API server refuses connections: a loopback port nobody listens on. */
  private static String registerUnreachable(TestTenant tenant, String name) throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Map<String, Object> body =
        StandInClusters.body(name, "http://127.0.0.1:" + port, StandInClusters.keyA());
    return as(tenant)
        .body(body)
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }
}
