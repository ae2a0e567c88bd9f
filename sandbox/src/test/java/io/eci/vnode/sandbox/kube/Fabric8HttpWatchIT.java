package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fabric8 falls back to chunked HTTP watches when WebSockets are refused; informers must still
 * work.
 */
class Fabric8HttpWatchIT {

  private KubeSandbox kube;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    kube = KubeSandbox.start(0, false);
    client = kube.client();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  @Test
  void informerOverHttpWatchSeesPodsGetBound() {
    client.pods().inNamespace("default").resource(TestPods.labelled("default", "web")).create();
    SharedIndexInformer<Pod> informer =
        client.pods().inAnyNamespace().withField("spec.nodeName", "vk").inform();
    try {
      await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);
      assertThat(informer.getStore().list()).isEmpty();

      client.bindings().inNamespace("default").resource(TestPods.binding("web", "vk")).create();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(informer.getStore().list())
                      .extracting(p -> p.getSpec().getNodeName())
                      .containsExactly("vk"));
    } finally {
      informer.close();
    }
  }
}
