package io.eci.vnode.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.sandbox.testing.ManualClock;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;

/** An outage is logged once when it starts, summed up at most once a period, and once when over. */
class OutageLogTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
  private final List<String> lines = new ArrayList<>();
  private final OutageLog outage =
      new OutageLog(
          new Recording(), "API server https://10.0.0.1:6443", Duration.ofMinutes(1), clock);

  @Test
  void aLastingOutageIsOneWarningWithTheCauseThenOneSummaryAMinute() {
    RuntimeException refused =
        new RuntimeException("Operation: [get]", new ConnectException("Connection refused"));
    for (int second = 0; second < 150; second += 5) {
      outage.failed(refused);
      clock.advance(Duration.ofSeconds(5));
    }

    assertThat(lines)
        .hasSize(3)
        .allMatch(l -> l.startsWith("WARN "))
        .allMatch(l -> l.contains("Connection refused"));
    assertThat(lines.get(0)).contains("API server https://10.0.0.1:6443 is failing");
    assertThat(lines.get(1)).contains("still failing").contains("13 failures");
  }

  @Test
  void theRecoveryIsOneInfoLineAndTheNextOutageWarnsAgain() {
    outage.failed(new RuntimeException("timeout"));
    clock.advance(Duration.ofSeconds(20));
    outage.succeeded();
    outage.succeeded();
    outage.failed(new RuntimeException("timeout"));

    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).startsWith("INFO ").contains("answers again after 20 s");
    assertThat(lines.get(2)).startsWith("WARN ").contains("is failing");
    assertThat(outage.failing()).isTrue();
  }

  /** A logger that keeps the lines at INFO and above, formatted as slf4j would. */
  private final class Recording extends AbstractLogger {

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      if (level.toInt() >= Level.INFO.toInt()) {
        lines.add(
            level + " " + org.slf4j.helpers.MessageFormatter.basicArrayFormat(pattern, arguments));
      }
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }
}
