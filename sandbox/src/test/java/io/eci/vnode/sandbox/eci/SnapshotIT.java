package io.eci.vnode.sandbox.eci;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyuncs.eci.model.v20180808.DeleteContainerGroupRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotIT {

  @TempDir Path dir;

  @Test
  void aRestartedSandboxKeepsItsInstancesAndHandsOutNoAddressTwice() throws Exception {
    Path state = dir.resolve("eci-state.json");
    String kept;
    String keptIp;
    try (EciSandbox first = start(state)) {
      Sdk sdk = new Sdk(first, "LTAIsnap", "snap-secret");
      var create = Sdk.createRequest("kept", "vsw-a", Map.of("cluster", "c1"));
      create.setClientToken("uid-kept");
      kept = sdk.call(create).getContainerGroupId();
      String deleted = sdk.create("deleted", "vsw-a", Map.of("cluster", "c1"));
      first.clock().advance(Duration.ofSeconds(4));
      DeleteContainerGroupRequest delete = new DeleteContainerGroupRequest();
      delete.setContainerGroupId(deleted);
      sdk.call(delete);
      keptIp = sdk.describe(kept).getIntranetIp();
    }

    try (EciSandbox second = start(state)) {
      Sdk sdk = new Sdk(second, "LTAIsnap", "snap-secret");
      var again = Sdk.createRequest("kept", "vsw-a", Map.of("cluster", "c1"));
      again.setClientToken("uid-kept");
      assertThat(sdk.call(again).getContainerGroupId()).isEqualTo(kept);
      assertThat(sdk.describe(kept).getStatus()).isEqualTo("Running");
      assertThat(sdk.describe(kept).getIntranetIp()).isEqualTo(keptIp);
      assertThat(sdk.describeByTag("cluster", "c1", 20, null).getContainerGroups())
          .extracting(g -> g.getContainerGroupId())
          .containsExactly(kept);
      String fresh = sdk.create("fresh", "vsw-a", Map.of());
      assertThat(sdk.describe(fresh).getIntranetIp()).isNotIn(keptIp, "");
    }
  }

  private static EciSandbox start(Path state) {
    return EciSandbox.builder()
        .accessKey("LTAIsnap", "snap-secret")
        .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/24")
        .timing(
            new Lifecycle.Timing(
                Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10)))
        .stateFile(state)
        .start();
  }
}
