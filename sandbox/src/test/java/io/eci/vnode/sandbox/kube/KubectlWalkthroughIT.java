package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.Kubectl;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stock kubectl against the stand-in, as a person trying the product would use it. */
class KubectlWalkthroughIT {

  @TempDir Path workDir;

  private Cluster kube;
  private KubernetesClient client;
  private Kubectl kubectl;

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    client = kube.client();
    kubectl = Kubectl.forCluster(kube, workDir);
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void walkthroughFromNamespaceToDeletedPod() {
    assertThat(kubectl.ok("create", "ns", "vk")).contains("namespace/vk created");
    assertThat(kubectl.ok("label", "namespace", "vk", "alibabacloud.com/eci=true"))
        .contains("namespace/vk labeled");
    assertThat(kubectl.ok("-n", "vk", "run", "nginx", "--image", "nginx"))
        .contains("pod/nginx created");

    List<String> wide = lines(kubectl.ok("-n", "vk", "get", "pod", "-o", "wide"));
    assertThat(wide.get(0).split("\\s{2,}"))
        .startsWith("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE");
    assertThat(wide.get(1).split("\\s+")).startsWith("nginx", "0/1", "Pending", "0");
    assertThat(wide.get(1)).contains("<none>");

    client.nodes().resource(virtualNode()).create();
    List<String> nodes = lines(kubectl.ok("get", "no"));
    assertThat(nodes.get(0).split("\\s+"))
        .containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION");
    assertThat(nodes.get(1)).startsWith("virtual-kubelet-cn-hangzhou-b   Ready    agent");

    assertThat(kubectl.ok("-n", "vk", "delete", "pod", "nginx")).contains("pod \"nginx\" deleted");
    assertThat(client.pods().inNamespace("vk").withName("nginx").get()).isNull();
    Kubectl.Result gone = kubectl.run("-n", "vk", "get", "pod", "nginx");
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.err()).contains("NotFound", "\"nginx\" not found");
  }

  @Test
  void getWatchPrintsARowForEachChange() throws Exception {
    kubectl.ok("create", "ns", "vk");
    Process watch = kubectl.start("-n", "vk", "get", "pods", "-w");
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = readLines(watch, lines);
    try {
      client.pods().inNamespace("vk").resource(TestPods.labelled("vk", "watched")).create();

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(lines)
                      .anySatisfy(l -> assertThat(l).startsWith("watched").contains("Pending")));

      client.bindings().inNamespace("vk").resource(TestPods.binding("watched", "vk-node")).create();
      Pod pod = client.pods().inNamespace("vk").withName("watched").get();
      pod.getStatus().setPhase("Running");
      client.pods().inNamespace("vk").resource(pod).updateStatus();

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(lines)
                      .anySatisfy(l -> assertThat(l).startsWith("watched").contains("Running")));
      assertThat(lines.get(0)).startsWith("NAME").contains("STATUS");
    } finally {
      watch.destroy();
      if (!watch.waitFor(10, TimeUnit.SECONDS)) {
        watch.destroyForcibly();
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  @Test
  void describeWorksForPodsNodesAndNamespaces() {
    kubectl.ok("create", "ns", "vk");
    kubectl.ok(
        "-n", "vk", "run", "nginx", "--image", "nginx:1.25", "-l", "alibabacloud.com/eci=true");
    client.nodes().resource(virtualNode()).create();

    assertThat(kubectl.ok("-n", "vk", "describe", "pod", "nginx"))
        .contains(
            "Name:",
            "nginx",
            "Namespace:",
            "vk",
            "Status:",
            "Pending",
            "alibabacloud.com/eci=true");
    assertThat(kubectl.ok("describe", "node", "virtual-kubelet-cn-hangzhou-b"))
        .contains("Roles:", "agent", "Ready", "True");
    assertThat(kubectl.ok("describe", "ns", "vk")).contains("Status:", "Active");
  }

  @Test
  void getNamespacesAndLabelAndDeleteNodes() {
    assertThat(lines(kubectl.ok("get", "ns")))
        .anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("kube-node-lease", "Active"));
    client.nodes().resource(virtualNode()).create();

    kubectl.ok(
        "label",
        "node",
        "virtual-kubelet-cn-hangzhou-b",
        "topology.kubernetes.io/zone=cn-hangzhou-b");
    assertThat(
            client
                .nodes()
                .withName("virtual-kubelet-cn-hangzhou-b")
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry("topology.kubernetes.io/zone", "cn-hangzhou-b");
    assertThat(lines(kubectl.ok("get", "no", "-o", "wide")).get(0))
        .contains("INTERNAL-IP", "CONTAINER-RUNTIME");

    assertThat(kubectl.ok("delete", "node", "virtual-kubelet-cn-hangzhou-b"))
        .contains("node \"virtual-kubelet-cn-hangzhou-b\" deleted");
    assertThat(client.nodes().list().getItems()).isEmpty();
  }

  @Test
  void labelPodsAndDeleteANamespaceWithItsPods() {
    kubectl.ok("create", "ns", "scratch");
    kubectl.ok("-n", "scratch", "run", "web", "--image", "nginx:1.25");

    assertThat(kubectl.ok("-n", "scratch", "label", "pod", "web", "alibabacloud.com/eci=true"))
        .contains("pod/web labeled");
    assertThat(lines(kubectl.ok("-n", "scratch", "get", "pods", "-l", "alibabacloud.com/eci=true")))
        .hasSize(2)
        .last()
        .satisfies(l -> assertThat(l).startsWith("web"));

    assertThat(kubectl.ok("delete", "ns", "scratch")).contains("namespace \"scratch\" deleted");
    assertThat(client.namespaces().withName("scratch").get()).isNull();
    assertThat(client.pods().inNamespace("scratch").list().getItems()).isEmpty();
  }

  @Test
  void applyAndCreateFromManifestsWork() throws Exception {
    Path manifest = workDir.resolve("pod.yaml");
    Files.writeString(manifest, manifest("first", "nginx:1.25"));
    assertThat(kubectl.ok("apply", "-f", manifest.toString())).contains("pod/applied created");

    Files.writeString(manifest, manifest("second", "nginx:1.27"));
    assertThat(kubectl.ok("apply", "-f", manifest.toString())).contains("pod/applied configured");
    Pod applied = client.pods().inNamespace("default").withName("applied").get();
    assertThat(applied.getMetadata().getLabels()).containsEntry("app", "second");
    assertThat(applied.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.27");

    Files.writeString(manifest, manifest("third", "nginx:1.27"));
    assertThat(kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", manifest.toString()))
        .contains("serverside-applied");
    assertThat(
            client
                .pods()
                .inNamespace("default")
                .withName("applied")
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry("app", "third");

    kubectl.ok("delete", "-f", manifest.toString());
    assertThat(kubectl.ok("create", "-f", manifest.toString())).contains("pod/applied created");
  }

  private static String manifest(String app, String image) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: applied
          labels:
            app: %s
        spec:
          containers:
          - name: c
            image: %s
        """
        .formatted(app, image);
  }

  @Test
  void boundPodShowsTerminatingUntilForceDeleted() {
    kubectl.ok("-n", "default", "run", "bound", "--image", "nginx");
    client
        .bindings()
        .inNamespace("default")
        .resource(TestPods.binding("bound", "vk-node"))
        .create();

    kubectl.ok("-n", "default", "delete", "pod", "bound", "--wait=false");
    assertThat(lines(kubectl.ok("-n", "default", "get", "pod", "bound")).get(1).split("\\s+"))
        .startsWith("bound", "0/1", "Terminating");

    assertThat(
            kubectl
                .run("-n", "default", "delete", "pod", "bound", "--grace-period=0", "--force")
                .exitCode())
        .isZero();
    assertThat(client.pods().inNamespace("default").withName("bound").get()).isNull();
  }

  private static Node virtualNode() {
    return new NodeBuilder()
        .withNewMetadata()
        .withName("virtual-kubelet-cn-hangzhou-b")
        .addToLabels("kubernetes.io/role", "agent")
        .addToLabels("type", "virtual-kubelet")
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .endCondition()
        .addNewAddress()
        .withType("InternalIP")
        .withAddress("10.0.0.2")
        .endAddress()
        .withNewNodeInfo()
        .withKubeletVersion("v1.32.0-vk-eci")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  private static List<String> lines(String output) {
    return output.lines().filter(l -> !l.isBlank()).toList();
  }

  private static Thread readLines(Process process, List<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
              } catch (IOException | UncheckedIOException e) {
                // the process was stopped
              }
            },
            "kubectl-watch-reader");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }
}
