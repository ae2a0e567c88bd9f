package io.eci.vnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.controlplane.Pki;
import io.eci.vnode.sandbox.controlplane.RequiresControlPlane;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admission and scheduling as a real cluster does them: the API server calls the service's webhook
 * over https (trusting only the CA bundle in the webhook configuration), and kube-scheduler places
 * the steered pod on the virtual node while the node's taint keeps every other pod off it.
 */
@RequiresControlPlane
class AdmissionE2E {

  private static Product product;

  @BeforeAll
  static void start() {
    product = Product.builder("admission").start();
    product.createNamespace("admission", Map.of());
  }

  @AfterAll
  static void stop() {
    if (product != null) {
      product.close();
    }
  }

  @Test
  void aSelectedPodIsSteeredByTheWebhookOverHttpsAndBoundByKubeScheduler() {
    MutatingWebhookConfiguration webhook = product.webhookConfiguration();
    assertThat(webhook.getWebhooks())
        .hasSize(2)
        .allSatisfy(
            w -> {
              assertThat(w.getClientConfig().getUrl()).startsWith("https://127.0.0.1:");
              assertThat(w.getFailurePolicy()).isEqualTo("Fail");
              String ca =
                  new String(
                      Base64.getDecoder().decode(w.getClientConfig().getCaBundle()),
                      StandardCharsets.UTF_8);
              assertThat(Pki.certificate(ca).getSubjectX500Principal().getName())
                  .isEqualTo("CN=eci-vnode-service");
            });

    product.kube().pods().inNamespace("admission").resource(pod("steered", true)).create();

    Pod running = new Pods(product.kube()).awaitRunning("admission", "steered");
    // Only the webhook adds these: the pod was created without them.
    assertThat(running.getSpec().getTolerations())
        .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("virtual-kubelet.io/provider"));
    assertThat(running.getSpec().getNodeSelector()).containsEntry("type", "virtual-kubelet");
    Event scheduled =
        await()
            .atMost(Product.DEADLINE)
            .until(
                () ->
                    product.kube().v1().events().inNamespace("admission").list().getItems().stream()
                        .filter(e -> "steered".equals(e.getInvolvedObject().getName()))
                        .filter(e -> "Scheduled".equals(e.getReason()))
                        .findFirst()
                        .orElse(null),
                e -> e != null);
    // kube-scheduler writes events.k8s.io Events: the core view names it the reporting component
    assertThat(scheduled.getReportingComponent()).isEqualTo("default-scheduler");
    assertThat(scheduled.getMessage()).contains(Product.NODE);
  }

  @Test
  void anUnselectedPodNeverLandsOnTheVirtualNode() {
    Pod created =
        product.kube().pods().inNamespace("admission").resource(pod("stays-off", false)).create();

    // The scheduler says why (the taint), and neither it nor the binder ever binds it.
    await()
        .atMost(Product.DEADLINE)
        .untilAsserted(
            () ->
                assertThat(scheduledCondition("stays-off"))
                    .satisfies(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("False");
                          assertThat(c.getReason()).isEqualTo("Unschedulable");
                          assertThat(c.getMessage()).contains("virtual-kubelet.io/provider");
                        }));
    await()
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                product
                        .kube()
                        .pods()
                        .inNamespace("admission")
                        .withName("stays-off")
                        .get()
                        .getSpec()
                        .getNodeName()
                    == null);
    assertThat(product.calls().createsOf(created.getMetadata().getUid())).isEmpty();
  }

  private static PodCondition scheduledCondition(String name) {
    Pod pod = product.kube().pods().inNamespace("admission").withName(name).get();
    return pod.getStatus().getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static Pod pod(String name, boolean selected) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(selected ? Map.of("alibabacloud.com/eci", "true") : Map.of("app", name))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("nginx")
        .endContainer()
        .endSpec()
        .build();
  }
}
