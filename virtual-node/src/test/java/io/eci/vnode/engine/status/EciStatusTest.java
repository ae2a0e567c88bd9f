package io.eci.vnode.engine.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.eci.EciStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EciStatusTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "Scheduling, Pending, false",
    "Pending, Pending, false",
    "Restarting, Pending, false",
    "Updating, Pending, false",
    "Running, Running, false",
    "Terminating, Running, false",
    "Succeeded, Succeeded, true",
    "Failed, Failed, true",
    "Expired, Failed, true",
    "ScheduleFailed, Failed, true"
  })
  void mapsEveryRowOfTheOfficialStatusTable(String eci, String phase, boolean isFinal) {
    EciStatus status = EciStatus.fromWire(eci).orElseThrow();
    assertThat(StatusMapper.phase(status).wire()).isEqualTo(phase);
    assertThat(status.isFinal()).isEqualTo(isFinal);
    assertThat(status.wire()).isEqualTo(eci);
  }

  @ParameterizedTest
  @ValueSource(strings = {"running", "Hibernating", ""})
  void doesNotGuessAtAnUnknownStatus(String eci) {
    assertThat(EciStatus.fromWire(eci)).isEmpty();
  }
}
