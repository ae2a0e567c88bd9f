package io.eci.vnode.sandbox.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.eci.model.v20180808.DeleteContainerGroupRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupMetricRequest;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsResponse.ContainerGroup;
import com.aliyuncs.eci.model.v20180808.DescribeContainerLogRequest;
import com.aliyuncs.eci.model.v20180808.DescribeRegionsRequest;
import com.aliyuncs.eci.model.v20180808.ExecContainerCommandRequest;
import com.aliyuncs.eci.model.v20180808.RestartContainerGroupRequest;
import com.aliyuncs.exceptions.ClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContainerGroupLifecycleIT {

  private EciSandbox sandbox;
  private Sdk sdk;

  @BeforeEach
  void startSandbox() {
    sandbox =
        EciSandbox.builder()
            .accessKey("LTAIlifecycle", "lifecycle-secret")
            .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/24")
            .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/24")
            .start();
    sdk = new Sdk(sandbox, "LTAIlifecycle", "lifecycle-secret");
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  @Test
  void anInstanceGoesThroughSchedulingAndPendingToRunningWithAnAddressOfItsVSwitch()
      throws Exception {
    String id = sdk.create("web", "vsw-b", Map.of("cluster", "c1"));
    assertThat(id).startsWith("eci-");
    assertThat(sdk.describe(id).getStatus()).isEqualTo("Scheduling");

    sandbox.clock().advance(Duration.ofMillis(1500));
    ContainerGroup pending = sdk.describe(id);
    assertThat(pending.getStatus()).isEqualTo("Pending");
    assertThat(pending.getContainers().get(0).getCurrentState().getState()).isEqualTo("Waiting");

    sandbox.clock().advance(Duration.ofSeconds(2));
    ContainerGroup running = sdk.describe(id);
    assertThat(running.getStatus()).isEqualTo("Running");
    assertThat(running.getZoneId()).isEqualTo("cn-hangzhou-b");
    assertThat(running.getIntranetIp()).startsWith("10.2.0.");
    assertThat(running.getContainers().get(0).getCurrentState().getState()).isEqualTo("Running");
    assertThat(running.getContainers().get(0).getImage()).isEqualTo("nginx:1.27");
    assertThat(running.getTags())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey() + "=" + t.getValue()).isEqualTo("cluster=c1"));
  }

  @Test
  void theSameClientTokenCreatesOneInstance() throws Exception {
    var first = Sdk.createRequest("once", "vsw-a", Map.of());
    first.setClientToken("pod-uid-1234");
    var again = Sdk.createRequest("once", "vsw-a", Map.of());
    again.setClientToken("pod-uid-1234");

    String id = sdk.call(first).getContainerGroupId();
    assertThat(sdk.call(again).getContainerGroupId()).isEqualTo(id);
    assertThat(sandbox.instanceCount()).isEqualTo(1);
  }

  @Test
  void tellsListenersOfEachCallWithItsParametersAsItArrives() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    sandbox
        .counters()
        .onCall((action, params) -> heard.add(action + " " + params.get("ClientToken")));
    var create = Sdk.createRequest("heard", "vsw-a", Map.of());
    create.setClientToken("pod-uid-heard");

    sdk.call(create);

    assertThat(heard).containsExactly("CreateContainerGroup pod-uid-heard");
  }

  @Test
  void describesByTagInPagesOfTheRequestedSize() throws Exception {
    Set<String> mine = new HashSet<>();
    for (int i = 0; i < 45; i++) {
      mine.add(sdk.create("mine-" + i, "vsw-a", Map.of("cluster", "mine")));
      sdk.create("other-" + i, "vsw-a", Map.of("cluster", "other"));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      DescribeContainerGroupsResponse page = sdk.describeByTag("cluster", "mine", 20, token);
      assertThat(page.getTotalCount()).isEqualTo(45);
      page.getContainerGroups().forEach(g -> seen.add(g.getContainerGroupId()));
      token = page.getNextToken();
      pages++;
    } while (token != null && !token.isEmpty());

    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(45).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).isEqualTo(mine);
  }

  @Test
  void refusesAPageLargerThanEciAllows() {
    assertThatThrownBy(() -> sdk.describeByTag("cluster", "x", 21, null))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> {
              assertThat(e.getErrCode()).isEqualTo("InvalidParameter");
              assertThat(e.getErrMsg()).contains("Limit");
            });
  }

  @Test
  void aDeletedInstanceTerminatesAndIsGone() throws Exception {
    String id = sdk.create("short", "vsw-a", Map.of("cluster", "c1"));
    DeleteContainerGroupRequest delete = new DeleteContainerGroupRequest();
    delete.setContainerGroupId(id);
    sdk.call(delete);
    assertThat(sdk.describe(id).getStatus()).isEqualTo("Terminating");

    sandbox.clock().advance(Duration.ofSeconds(2));
    assertThat(sdk.describe(id)).isNull();
    assertThatThrownBy(() -> sdk.call(delete))
        .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrMsg()).contains(id));
  }

  @Test
  void aContainerThatExitsNonZeroFailsAnInstanceThatNeverRestarts() throws Exception {
    var create = Sdk.createRequest("job", "vsw-a", Map.of(), "/bin/sh", "-c", "exit:3:5");
    create.setRestartPolicy("Never");
    String id = sdk.call(create).getContainerGroupId();
    sandbox.clock().advance(Duration.ofSeconds(4));
    assertThat(sdk.describe(id).getStatus()).isEqualTo("Running");

    sandbox.clock().advance(Duration.ofSeconds(5));
    ContainerGroup failed = sdk.describe(id);
    assertThat(failed.getStatus()).isEqualTo("Failed");
    assertThat(failed.getContainers().get(0).getCurrentState().getState()).isEqualTo("Terminated");
    assertThat(failed.getContainers().get(0).getCurrentState().getExitCode()).isEqualTo(3);
  }

  @Test
  void aContainerWhoseShellScriptSaysExitZeroSucceeds() throws Exception {
    var create = Sdk.createRequest("job", "vsw-a", Map.of(), "/bin/sh", "-c", "echo done; exit:0");
    create.setRestartPolicy("OnFailure");
    String id = sdk.call(create).getContainerGroupId();
    sandbox.clock().advance(Duration.ofSeconds(4));
    ContainerGroup done = sdk.describe(id);
    assertThat(done.getStatus()).isEqualTo("Succeeded");
    assertThat(done.getSucceededTime()).isNotEmpty();
  }

  @Test
  void aCrashingContainerUnderRestartPolicyAlwaysCountsRestarts() throws Exception {
    String id = sdk.create("crashy", "vsw-a", Map.of(), "exit:1:5");
    sandbox.clock().advance(Duration.ofSeconds(3 + 5 + 10 + 5 + 10 + 1));
    ContainerGroup crashy = sdk.describe(id);
    assertThat(crashy.getStatus()).isEqualTo("Running");
    var container = crashy.getContainers().get(0);
    assertThat(container.getRestartCount()).isEqualTo(2);
    assertThat(container.getPreviousState().getExitCode()).isEqualTo(1);
  }

  @Test
  void aRestartShowsRestartingThenRunningAgain() throws Exception {
    String id = sdk.create("web", "vsw-a", Map.of());
    sandbox.clock().advance(Duration.ofSeconds(4));
    RestartContainerGroupRequest restart = new RestartContainerGroupRequest();
    restart.setContainerGroupId(id);
    sdk.call(restart);
    assertThat(sdk.describe(id).getStatus()).isEqualTo("Restarting");
    sandbox.clock().advance(Duration.ofSeconds(3));
    ContainerGroup again = sdk.describe(id);
    assertThat(again.getStatus()).isEqualTo("Running");
    assertThat(again.getContainers().get(0).getRestartCount()).isEqualTo(1);
  }

  @Test
  void answersLogsExecMetricsAndRegions() throws Exception {
    String id = sdk.create("web", "vsw-a", Map.of());
    sandbox.clock().advance(Duration.ofSeconds(4));

    DescribeContainerLogRequest log = new DescribeContainerLogRequest();
    log.setContainerGroupId(id);
    log.setContainerName("app");
    assertThat(sdk.call(log).getContent()).contains("app (nginx:1.27) started");

    ExecContainerCommandRequest exec = new ExecContainerCommandRequest();
    exec.setContainerGroupId(id);
    exec.setContainerName("app");
    exec.setCommand("[\"echo\",\"hello\"]");
    assertThat(sdk.call(exec).getWebSocketUri()).contains(id);

    DescribeContainerGroupMetricRequest metric = new DescribeContainerGroupMetricRequest();
    metric.setContainerGroupId(id);
    assertThat(sdk.call(metric).getRecords())
        .singleElement()
        .satisfies(r -> assertThat(r.getCPU().getLimit()).isEqualTo(500L));

    assertThat(sdk.call(new DescribeRegionsRequest()).getRegions())
        .singleElement()
        .satisfies(r -> assertThat(r.getRegionId()).isEqualTo("cn-hangzhou"));
  }
}
