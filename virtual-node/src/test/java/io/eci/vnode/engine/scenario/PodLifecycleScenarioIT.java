package io.eci.vnode.engine.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsRequest;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The vertical slice: a cluster stand-in, the ECI sandbox through the real SDK, and the engine
 * between them.
 */
class PodLifecycleScenarioIT {

  @RegisterExtension
  final EngineFixture fixture =
      EngineFixture.create()
          .eci(
              () ->
                  EciSandbox.builder()
                      .accessKey(Engines.KEY, Engines.SECRET)
                      .vSwitch("vsw-a", "cn-hangzhou-b", "10.1.0.0/16")
                      .instantProvisioning()
                      .start())
          .engine(List.of("vsw-a"));

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Test
  void theInstanceIdAndZoneArriveInTheSameWriteAsTheFirstStatus() {
    List<Pod> versions = new CopyOnWriteArrayList<>();
    try (Watch watch =
        fixture
            .client()
            .pods()
            .inNamespace("default")
            .withName("api")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    versions.add(pod);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      fixture.client().pods().inNamespace("default").resource(TestPods.labelled("api")).create();

      await()
          .atMost(DEADLINE)
          .until(() -> versions.stream().anyMatch(p -> "Running".equals(p.getStatus().getPhase())));
    }

    Pod firstWithInstance =
        versions.stream().filter(p -> annotation(p, INSTANCE) != null).findFirst().orElseThrow();
    assertThat(annotation(firstWithInstance, "eci-vnode.io/zone")).isEqualTo("cn-hangzhou-b");
    assertThat(firstWithInstance.getStatus().getContainerStatuses()).isNotEmpty();
    assertThat(versions)
        .filteredOn(p -> !p.getStatus().getContainerStatuses().isEmpty())
        .allSatisfy(p -> assertThat(annotation(p, INSTANCE)).isNotNull());
  }

  @Test
  void aPodsContainersSeeTheServicesOfItsNamespaceAsTheKubeletWouldShowThem() throws Exception {
    // The service exists before the engine starts, so its informer has it before any pod: a
    // service created at the same moment as a pod may or may not be in its environment, as with
    // a kubelet.
    fixture.node().close();
    fixture
        .client()
        .services()
        .inNamespace("default")
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("cart")
                .endMetadata()
                .withNewSpec()
                .withClusterIP("10.96.5.5")
                .addNewPort()
                .withName("http")
                .withPort(8080)
                .endPort()
                .endSpec()
                .build())
        .create();
    fixture.restartEngine();

    fixture.client().pods().inNamespace("default").resource(TestPods.labelled("shopper")).create();
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                annotation(
                        fixture.client().pods().inNamespace("default").withName("shopper").get(),
                        INSTANCE)
                    != null);

    String id =
        annotation(
            fixture.client().pods().inNamespace("default").withName("shopper").get(), INSTANCE);
    DescribeContainerGroupsRequest describe = new DescribeContainerGroupsRequest();
    describe.setContainerGroupIds("[\"" + id + "\"]");
    describe.setSysEndpoint(fixture.eci().endpoint());
    describe.setSysProtocol(ProtocolType.HTTP);
    var env =
        new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou", Engines.KEY, Engines.SECRET))
                .getAcsResponse(describe)
                .getContainerGroups()
                .get(0)
                .getContainers()
                .get(0)
                .getEnvironmentVars()
                .stream()
                .collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue()));
    assertThat(env)
        .containsEntry("CART_SERVICE_HOST", "10.96.5.5")
        .containsEntry("CART_SERVICE_PORT_HTTP", "8080")
        .containsEntry("CART_PORT", "tcp://10.96.5.5:8080");
  }

  private static final String INSTANCE = "k8s.aliyun.com/eci-instance-id";

  private static String annotation(Pod pod, String key) {
    return pod.getMetadata().getAnnotations() == null
        ? null
        : pod.getMetadata().getAnnotations().get(key);
  }

  @Test
  void aLabelledPodRunsAsAnEciInstanceAndItsDeletionCleansUp() {
    fixture
        .client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
        .create();
    fixture
        .client()
        .pods()
        .inNamespace("shop")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .addToLabels("alibabacloud.com/eci", "true")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .build())
        .create();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              Pod pod = fixture.client().pods().inNamespace("shop").withName("web").get();
              assertThat(pod.getSpec().getNodeName()).isEqualTo("virtual-kubelet-cn-hangzhou-b");
              assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
              assertThat(pod.getStatus().getPodIP()).startsWith("10.1.");
              assertThat(pod.getMetadata().getAnnotations())
                  .containsKey("k8s.aliyun.com/eci-instance-id");
            });
    assertThat(
            fixture
                .client()
                .nodes()
                .withName("virtual-kubelet-cn-hangzhou-b")
                .get()
                .getStatus()
                .getConditions())
        .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
    assertThat(fixture.eci().instanceCount()).isEqualTo(1);

    fixture.client().pods().inNamespace("shop").withName("web").delete();
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(fixture.client().pods().inNamespace("shop").withName("web").get())
                  .isNull();
              fixture.eci().clock().advance(Duration.ofSeconds(5));
              assertThat(fixture.eci().instanceCount()).isZero();
            });
  }

  @Test
  void aPodEciCannotRunFailsWithAReasonAndAnEvent() {
    fixture
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("ops")
                .addToLabels("alibabacloud.com/eci", "true")
                .endMetadata()
                .build())
        .create();
    fixture
        .client()
        .pods()
        .inNamespace("ops")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("sniffer")
                .endMetadata()
                .withNewSpec()
                .withHostNetwork(true)
                .addNewContainer()
                .withName("app")
                .withImage("tcpdump")
                .endContainer()
                .endSpec()
                .build())
        .create();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              Pod pod = fixture.client().pods().inNamespace("ops").withName("sniffer").get();
              assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
              assertThat(pod.getStatus().getReason()).isEqualTo("UnsupportedPodSpec");
              assertThat(pod.getStatus().getMessage()).contains("hostNetwork");
            });
    assertThat(fixture.client().v1().events().inNamespace("ops").list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("UnsupportedPodSpec");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("sniffer");
            });
    assertThat(fixture.eci().instanceCount()).isZero();
  }
}
