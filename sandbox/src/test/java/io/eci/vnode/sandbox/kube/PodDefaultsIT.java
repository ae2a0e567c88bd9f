package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.sandbox.Cluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.assertj.core.api.Assertions;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class PodDefaultsIT {

  private Cluster kube;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    client = kube.client();
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void createdPodGetsTheDefaultsARealApiServerFillsIn() {
    Pod pod = bare("nginx", "nginx");
    pod.setStatus(new PodStatusBuilder().withPhase("Running").build());

    Pod created = client.pods().inNamespace("default").resource(pod).create();

    assertThat(created.getMetadata().getUid()).matches("[0-9a-f-]{36}");
    assertThat(Instant.parse(created.getMetadata().getCreationTimestamp()))
        .isCloseTo(Instant.now(), Assertions.within(5, ChronoUnit.SECONDS));
    assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
    assertThat(created.getMetadata().getGeneration()).isNull(); // pods keep no generation
    assertThat(created.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(created.getSpec().getRestartPolicy()).isEqualTo("Always");
    assertThat(created.getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
    assertThat(created.getSpec().getSchedulerName()).isEqualTo("default-scheduler");
    assertThat(created.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(created.getSpec().getEnableServiceLinks()).isTrue();
    assertThat(created.getSpec().getPriority()).isZero();
    assertThat(created.getSpec().getTolerations())
        .extracting(Toleration::getKey, Toleration::getTolerationSeconds)
        .containsExactly(
            Tuple.tuple("node.kubernetes.io/not-ready", 300L),
            Tuple.tuple("node.kubernetes.io/unreachable", 300L));
    Container container = created.getSpec().getContainers().get(0);
    assertThat(container.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(container.getTerminationMessagePolicy()).isEqualTo("File");
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
    assertThat(created.getStatus().getPhase())
        .isEqualTo("Pending"); // a client cannot create a Running pod
    assertThat(created.getStatus().getQosClass()).isEqualTo("BestEffort");
    assertThat(created.getSpec().getNodeName()).isNull();
  }

  /**
   * The ServiceAccount admission's default. The real API server the stand-in's tests also run
   * against has that admission off (every new namespace's pods would wait for a token); the
   * end-to-end tier runs with it on.
   */
  @Test
  @Tag(Cluster.STAND_IN_ONLY)
  void aPodGetsTheDefaultServiceAccount() {
    Pod created = client.pods().inNamespace("default").resource(bare("sa", "nginx")).create();

    assertThat(created.getSpec().getServiceAccountName()).isEqualTo("default");
  }

  @Test
  void imagePullPolicyFollowsTheTag() {
    assertThat(pullPolicyFor("nginx:latest")).isEqualTo("Always");
    assertThat(pullPolicyFor("registry.example.com:5000/team/nginx")).isEqualTo("Always");
    assertThat(pullPolicyFor("registry.example.com:5000/team/nginx:1.25"))
        .isEqualTo("IfNotPresent");
    assertThat(pullPolicyFor("nginx@sha256:" + "a".repeat(64))).isEqualTo("IfNotPresent");
  }

  @Test
  void qosClassFollowsRequestsAndLimits() {
    Pod guaranteed = bare("g", "nginx:1.25");
    guaranteed
        .getSpec()
        .getContainers()
        .get(0)
        .setResources(
            new ResourceRequirementsBuilder()
                .addToLimits("cpu", new Quantity("1"))
                .addToLimits("memory", new Quantity("1Gi"))
                .build());
    Pod burstable = bare("b", "nginx:1.25");
    burstable
        .getSpec()
        .getContainers()
        .get(0)
        .setResources(
            new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("500m")).build());

    Pod g = client.pods().inNamespace("default").resource(guaranteed).create();
    Pod b = client.pods().inNamespace("default").resource(burstable).create();

    assertThat(g.getStatus().getQosClass()).isEqualTo("Guaranteed");
    assertThat(g.getSpec().getContainers().get(0).getResources().getRequests())
        .containsEntry("cpu", new Quantity("1"));
    assertThat(b.getStatus().getQosClass()).isEqualTo("Burstable");
  }

  @Test
  void generateNameGetsARandomSuffix() {
    Pod pod = bare(null, "nginx:1.25");
    pod.getMetadata().setGenerateName("web-");

    Pod first = client.pods().inNamespace("default").resource(pod).create();
    Pod second = client.pods().inNamespace("default").resource(pod).create();

    assertThat(first.getMetadata().getName()).matches("web-[a-z0-9]{5}");
    assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
  }

  @Test
  void uidsAreUniqueAcrossSandboxes() {
    try (KubeSandbox other = KubeSandbox.start()) {
      Pod here = client.pods().inNamespace("default").resource(bare("p", "nginx")).create();
      Pod there =
          other.client().pods().inNamespace("default").resource(bare("p", "nginx")).create();

      assertThat(here.getMetadata().getUid()).isNotEqualTo(there.getMetadata().getUid());
    }
  }

  @Test
  void clusterStartsWithTheStandardNamespaces() {
    assertThat(client.namespaces().list().getItems())
        .extracting(n -> n.getMetadata().getName())
        .containsExactly("default", "kube-node-lease", "kube-public", "kube-system");
  }

  @Test
  void namespaceGetsActivePhaseNameLabelAndDefaultServiceAccount() {
    Namespace created =
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName("vk").endMetadata().build())
            .create();

    assertThat(created.getStatus().getPhase()).isEqualTo("Active");
    // the name label came with Kubernetes 1.21; the stand-in speaks 1.32
    int minor = Integer.parseInt(client.getKubernetesVersion().getMinor().replaceAll("\\D", ""));
    if (minor >= 21) {
      assertThat(created.getMetadata().getLabels())
          .containsEntry("kubernetes.io/metadata.name", "vk");
    } else {
      assertThat(created.getMetadata().getLabels())
          .doesNotContainKey("kubernetes.io/metadata.name");
    }
    // a real cluster's ServiceAccount controller makes it a moment later
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.serviceAccounts().inNamespace("vk").withName("default").get() != null);
  }

  @Test
  void podInAMissingNamespaceIsNotFound() {
    var error =
        Assertions.catchThrowableOfType(
            KubernetesClientException.class,
            () -> client.pods().inNamespace("nope").resource(bare("p", "nginx")).create());

    assertThat(error.getCode()).isEqualTo(404);
    assertThat(error.getStatus().getMessage()).isEqualTo("namespaces \"nope\" not found");
  }

  private String pullPolicyFor(String image) {
    String name = "p" + Integer.toHexString(image.hashCode());
    return client
        .pods()
        .inNamespace("default")
        .resource(bare(name, image))
        .create()
        .getSpec()
        .getContainers()
        .get(0)
        .getImagePullPolicy();
  }

  private static Pod bare(String name, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }
}
