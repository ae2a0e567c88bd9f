package io.eci.vnode.engine.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.sandbox.eci.EciSandbox;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResilientInstancesTest {

  private static final ResilientInstances.Policy FAST =
      new ResilientInstances.Policy(
          8, Duration.ofMillis(50), Duration.ofMillis(400), 1000, 3, Duration.ofMillis(500));

  private EciSandbox sandbox;
  private ResilientInstances instances;

  @BeforeEach
  void startSandbox() {
    sandbox = EciSandbox.builder().accessKey("LTAIr", "r-secret").instantProvisioning().start();
    instances =
        new ResilientInstances(
            new EciSdkInstances(
                new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou", "LTAIr", "r-secret")),
                "cn-hangzhou",
                Optional.of(sandbox.endpoint())),
            FAST);
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  @Test
  void throttledCallsAreRetriedUntilTheyGoThrough() {
    sandbox.faults().throttleAbove(3);
    for (int i = 0; i < 10; i++) {
      instances.create(new CreateInstance(request("pod-" + i), "uid-" + i));
    }
    assertThat(sandbox.instanceCount()).isEqualTo(10);
    assertThat(sandbox.counters().errors("Throttling.User")).isPositive();
  }

  @Test
  void aFailingEndpointOpensTheCircuitThenATrialClosesIt() {
    sandbox.faults().serverErrors(1.0);
    assertThatThrownBy(() -> instances.describeByTag("k", "v"))
        .isInstanceOfSatisfying(
            EciException.class, e -> assertThat(e.code()).isEqualTo("CircuitOpen"));
    assertThat(instances.isOpen()).isTrue();
    long callsWhileOpen = sandbox.counters().calls("DescribeContainerGroups");
    assertThatThrownBy(() -> instances.describeByTag("k", "v")).isInstanceOf(EciException.class);
    assertThat(sandbox.counters().calls("DescribeContainerGroups")).isEqualTo(callsWhileOpen);

    sandbox.faults().serverErrors(0);
    await()
        .atMost(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(() -> instances.describeByTag("k", "v") != null);
    assertThat(instances.isOpen()).isFalse();
  }

  @Test
  void aRequestErrorIsNotRetried() {
    CreateContainerGroupRequest bad = request("bad");
    bad.setVSwitchId("vsw-nowhere");
    assertThatThrownBy(() -> instances.create(new CreateInstance(bad, "uid-bad")))
        .isInstanceOfSatisfying(
            EciException.class,
            e -> assertThat(e.kind()).isEqualTo(EciException.Kind.INVALID_REQUEST));
    assertThat(sandbox.counters().calls("CreateContainerGroup")).isEqualTo(1);
  }

  @Test
  void backOffGrowsWithJitterUpToTheCap() {
    assertThat(instances.backoff(1)).isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
    assertThat(instances.backoff(3)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(instances.backoff(10)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  private static CreateContainerGroupRequest request(String name) {
    CreateContainerGroupRequest create = new CreateContainerGroupRequest();
    create.setContainerGroupName(name);
    create.setSecurityGroupId("sg-test");
    create.setVSwitchId("vsw-sandbox-a");
    CreateContainerGroupRequest.Container container = new CreateContainerGroupRequest.Container();
    container.setName("app");
    container.setImage("nginx:1.27");
    create.setContainers(List.of(container));
    return create;
  }
}
