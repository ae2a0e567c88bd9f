package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PatchIT {

  private Cluster kube;
  private KubernetesClient client;
  private RawHttp http;

  private static Deployment deployment() {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("nginx:1.25")
        .addNewEnv()
        .withName("A")
        .withValue("1")
        .endEnv()
        .addNewEnv()
        .withName("C")
        .withValue("3")
        .endEnv()
        .addNewPort()
        .withContainerPort(80)
        .withName("http")
        .endPort()
        .withArgs("--old")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    client = kube.client();
    http = new RawHttp(kube);
    Pod pod = TestPods.labelled("default", "web");
    pod.getSpec().getContainers().get(0).setEnv(List.of(new EnvVar("A", "1", null)));
    client.pods().inNamespace("default").resource(pod).create();
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void strategicMergePatchMergesPodContainersByName() {
    String patch =
        """
        {"metadata":{"labels":{"tier":"front"}},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}
        """;

    Pod patched =
        client
            .pods()
            .inNamespace("default")
            .withName("web")
            .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);

    assertThat(patched.getSpec().getContainers()).hasSize(1);
    Container app = patched.getSpec().getContainers().get(0);
    assertThat(app.getImage()).isEqualTo("nginx:1.27");
    assertThat(app.getEnv()).extracting(EnvVar::getName).containsExactly("A");
    assertThat(patched.getMetadata().getLabels())
        .containsEntry("tier", "front")
        .containsEntry("alibabacloud.com/eci", "true");
  }

  @Test
  void strategicMergePatchMergesListsByTheirMergeKeysAndReplacesOtherLists() {
    client.apps().deployments().inNamespace("default").resource(deployment()).create();
    String patch =
        """
        {"spec":{"template":{"spec":{
          "containers":[
            {"name":"app","env":[{"name":"B","value":"2"},{"name":"A","$patch":"delete"}],
             "ports":[{"containerPort":8080,"name":"http-alt"}],
             "args":["--new"]},
            {"name":"sidecar","image":"busybox"}]}}}}
        """;

    Deployment patched =
        client
            .apps()
            .deployments()
            .inNamespace("default")
            .withName("web")
            .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);

    List<Container> containers = patched.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("app", "sidecar");
    Container app = containers.get(0);
    assertThat(app.getImage()).isEqualTo("nginx:1.25");
    // the patch's new item before the one it left alone, as the API server orders them
    assertThat(app.getEnv()).extracting(EnvVar::getName).containsExactly("B", "C");
    assertThat(app.getPorts())
        .extracting(ContainerPort::getContainerPort, ContainerPort::getName)
        .containsExactly(tuple(8080, "http-alt"), tuple(80, "http"));
    assertThat(app.getArgs()).containsExactly("--new");
  }

  @Test
  void strategicMergePatchOnStatusMergesConditionsByTypeAndDeletesWithDirective() {
    String first =
        """
        {"status":{"phase":"Running","podIP":"10.0.0.7","conditions":[
          {"type":"Ready","status":"False"},{"type":"Initialized","status":"True"},
          {"type":"ContainersReady","status":"False"}]}}
        """;
    String second =
        """
        {"status":{"conditions":[{"type":"Ready","status":"True"},
          {"type":"Initialized","$patch":"delete"}]}}
        """;
    String path = "/api/v1/namespaces/default/pods/web/status";

    assertThat(http.send("PATCH", path, "application/strategic-merge-patch+json", first).code())
        .isEqualTo(200);
    RawHttp.Reply reply =
        http.send("PATCH", path, "application/strategic-merge-patch+json", second);

    assertThat(reply.code()).isEqualTo(200);
    JsonNode status = reply.body().path("status");
    assertThat(status.path("phase").asText()).isEqualTo("Running");
    assertThat(status.path("conditions").findValuesAsText("type"))
        .containsExactly("Ready", "ContainersReady");
    assertThat(status.path("conditions").findValuesAsText("status"))
        .containsExactly("True", "False");
  }

  @Test
  void mergePatchNullDeletesTheKey() {
    RawHttp.Reply reply =
        http.send(
            "PATCH",
            "/api/v1/namespaces/default/pods/web",
            "application/merge-patch+json",
            "{\"metadata\":{\"labels\":{\"alibabacloud.com/eci\":null,\"kept\":\"yes\"}}}");

    assertThat(reply.code()).isEqualTo(200);
    JsonNode labels = reply.body().path("metadata").path("labels");
    assertThat(labels.has("alibabacloud.com/eci")).isFalse();
    assertThat(labels.path("kept").asText()).isEqualTo("yes");
    assertThat(client.pods().inNamespace("default").withName("web").get().getMetadata().getLabels())
        .doesNotContainKey("alibabacloud.com/eci");
  }

  @Test
  void jsonPatchIsApplied() {
    Pod patched =
        client
            .pods()
            .inNamespace("default")
            .withName("web")
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"a\":\"b\"}}]");

    assertThat(patched.getMetadata().getAnnotations()).containsEntry("a", "b");
  }

  @Test
  void serverSideApplyCreatesThenMergesTheAppliedObject() {
    ConfigMap applied =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("eci-profile")
            .withNamespace("kube-system")
            .endMetadata()
            .addToData("selectors", "a")
            .build();

    client.configMaps().inNamespace("kube-system").resource(applied).serverSideApply();
    applied.getData().put("more", "b");
    ConfigMap result =
        client
            .configMaps()
            .inNamespace("kube-system")
            .resource(applied)
            .fieldManager("product")
            .forceConflicts()
            .serverSideApply();

    assertThat(result.getData()).containsEntry("selectors", "a").containsEntry("more", "b");
    assertThat(result.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void applyWithoutFieldManagerIsRejectedLikeARealServer() {
    RawHttp.Reply reply =
        http.send(
            "PATCH",
            "/api/v1/namespaces/default/configmaps/x",
            "application/apply-patch+yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");

    assertThat(reply.code()).isEqualTo(422);
    assertThat(reply.body().path("message").asText()).contains("fieldManager");
  }

  @Test
  void applyAcceptsYaml() {
    RawHttp.Reply reply =
        http.send(
            "PATCH",
            "/api/v1/namespaces/default/configmaps/x?fieldManager=kubectl",
            "application/apply-patch+yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  key: value\n");

    assertThat(reply.code()).isEqualTo(201);
    assertThat(client.configMaps().inNamespace("default").withName("x").get().getData())
        .containsEntry("key", "value");
  }

  @Test
  void unknownPatchTypeIsUnsupportedMediaType() {
    assertThat(http.send("PATCH", "/api/v1/namespaces/default/pods/web", "text/plain", "{}").code())
        .isEqualTo(415);
  }
}
