package io.eci.vnode.engine.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.engine.eci.EciException.Kind;
import io.eci.vnode.sandbox.eci.EciFault;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.eci.vnode.sandbox.eci.Faults;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EciSdkInstancesIT {

  private EciSandbox sandbox;
  private EciSdkInstances instances;

  @BeforeEach
  void startSandbox() {
    sandbox =
        EciSandbox.builder()
            .accessKey("LTAIengine", "engine-secret")
            .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/16")
            .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/16")
            .instantProvisioning()
            .start();
    instances = connect("engine-secret");
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  @Test
  void createsOnceForOneClientToken() {
    String first = instances.create(new CreateInstance(request("pod-a", "c1"), "uid-a"));
    String again = instances.create(new CreateInstance(request("pod-a", "c1"), "uid-a"));
    assertThat(again).isEqualTo(first);
    assertThat(sandbox.instanceCount()).isEqualTo(1);
  }

  @Test
  void describesEveryPageOfAClustersInstancesAndNothingElse() {
    for (int i = 0; i < 47; i++) {
      instances.create(new CreateInstance(request("pod-" + i, "c1"), "uid-" + i));
    }
    instances.create(new CreateInstance(request("foreign", "c2"), "uid-foreign"));

    List<Instance> mine = instances.describeByTag("eci-vnode/cluster", "c1");
    assertThat(mine)
        .hasSize(47)
        .allSatisfy(i -> assertThat(i.tags()).containsEntry("eci-vnode/cluster", "c1"));
    assertThat(mine.get(0).status()).contains(EciStatus.RUNNING);
    assertThat(mine.get(0).intranetIp()).startsWith("10.1.");
    assertThat(mine.get(0).containers())
        .singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo("Running"));
    assertThat(sandbox.counters().calls("DescribeContainerGroups")).isEqualTo(3);
  }

  @Test
  void readsTheStatusOfAClustersInstancesInPagesOf200AndNothingElse() {
    for (int i = 0; i < 230; i++) {
      instances.create(new CreateInstance(request("pod-" + i, "c1"), "uid-" + i));
    }
    instances.create(new CreateInstance(request("foreign", "c2"), "uid-foreign"));

    List<InstanceState> mine = instances.statusByTag("eci-vnode/cluster", "c1");

    assertThat(mine).hasSize(230).allSatisfy(s -> assertThat(s.rawStatus()).isEqualTo("Running"));
    assertThat(mine).extracting(InstanceState::id).doesNotHaveDuplicates();
    assertThat(sandbox.counters().calls("DescribeContainerGroupStatus")).isEqualTo(2);
  }

  @Test
  void anInstancesStatusFingerprintChangesWhenItsStatusDoes() {
    String id =
        instances.create(
            new CreateInstance(requestWithCommand("job", "c1", "exit:0:5"), "uid-job"));
    String running = instances.statusByTag("eci-vnode/cluster", "c1").get(0).fingerprint();
    assertThat(instances.statusByTag("eci-vnode/cluster", "c1").get(0).fingerprint())
        .isEqualTo(running);

    sandbox.clock().advance(Duration.ofSeconds(10));

    InstanceState done = instances.statusByTag("eci-vnode/cluster", "c1").get(0);
    assertThat(done.id()).isEqualTo(id);
    assertThat(done.rawStatus()).isEqualTo("Succeeded");
    assertThat(done.fingerprint()).isNotEqualTo(running);
  }

  @Test
  void describesByIdsOnlyWhatStillExists() {
    String id = instances.create(new CreateInstance(request("pod-a", "c1"), "uid-a"));
    instances.delete(id);
    String other = instances.create(new CreateInstance(request("pod-b", "c1"), "uid-b"));
    assertThat(instances.describeByIds(List.of(id, other)))
        .extracting(Instance::id)
        .containsExactly(other);
  }

  @Test
  void deletingAnInstanceThatIsGoneSucceeds() {
    String id = instances.create(new CreateInstance(request("pod-a", "c1"), "uid-a"));
    instances.delete(id);
    instances.delete(id);
    assertThat(sandbox.instanceCount()).isZero();
  }

  @Test
  void classifiesFailuresByWhatTheCallerCanDo() {
    sandbox.faults().stockOut("cn-hangzhou-a", Faults.StockOut.REJECT);
    CreateContainerGroupRequest onlyA = request("pod-a", "c1");
    onlyA.setVSwitchId("vsw-a");
    assertKind(() -> instances.create(new CreateInstance(onlyA, "uid-a")), Kind.NO_STOCK);

    sandbox.faults().failNext("DescribeContainerGroups", EciFault.THROTTLING);
    assertKind(() -> instances.describeByTag("k", "v"), Kind.THROTTLED);

    sandbox.faults().failNext("DescribeContainerGroups", EciFault.SERVICE_UNAVAILABLE);
    assertKind(() -> instances.describeByTag("k", "v"), Kind.TRANSIENT);

    assertKind(() -> connect("wrong-secret").describeByTag("k", "v"), Kind.AUTHENTICATION);

    CreateContainerGroupRequest badVSwitch = request("pod-b", "c1");
    badVSwitch.setVSwitchId("vsw-nowhere");
    assertKind(
        () -> instances.create(new CreateInstance(badVSwitch, "uid-b")), Kind.INVALID_REQUEST);
  }

  private static void assertKind(Runnable call, Kind kind) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(EciException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  private EciSdkInstances connect(String secret) {
    return new EciSdkInstances(
        new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou", "LTAIengine", secret)),
        "cn-hangzhou",
        Optional.of(sandbox.endpoint()));
  }

  private static CreateContainerGroupRequest requestWithCommand(
      String name, String cluster, String command) {
    CreateContainerGroupRequest create = request(name, cluster);
    // The SDK writes a list's query parameters when the list is set, so the container is set anew.
    CreateContainerGroupRequest.Container container = create.getContainers().get(0);
    container.setCommands(List.of(command));
    create.setContainers(List.of(container));
    create.setRestartPolicy("Never");
    return create;
  }

  private static CreateContainerGroupRequest request(String name, String cluster) {
    CreateContainerGroupRequest create = new CreateContainerGroupRequest();
    create.setContainerGroupName(name);
    create.setSecurityGroupId("sg-test");
    create.setVSwitchId("vsw-a,vsw-b");
    CreateContainerGroupRequest.Container container = new CreateContainerGroupRequest.Container();
    container.setName("app");
    container.setImage("nginx:1.27");
    create.setContainers(List.of(container));
    CreateContainerGroupRequest.Tag tag = new CreateContainerGroupRequest.Tag();
    tag.setKey("eci-vnode/cluster");
    tag.setValue(cluster);
    create.setTags(List.of(tag));
    return create;
  }
}
