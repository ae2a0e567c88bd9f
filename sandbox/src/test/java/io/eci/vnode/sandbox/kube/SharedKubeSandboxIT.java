package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clusters behind one shared server are as separate as clusters behind servers of their own. */
class SharedKubeSandboxIT {

  private SharedKubeSandbox kubes;

  @BeforeEach
  void start() {
    kubes = SharedKubeSandbox.start();
  }

  @AfterEach
  void stop() {
    kubes.close();
  }

  @Test
  void eachClusterKeepsItsOwnObjects() {
    SharedKubeSandbox.Cluster a = kubes.add("a");
    SharedKubeSandbox.Cluster b = kubes.add("b");

    a.client().pods().inNamespace("default").resource(TestPods.labelled("default", "web")).create();

    assertThat(a.url()).endsWith("/clusters/a");
    assertThat(a.client().pods().inNamespace("default").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("web");
    assertThat(b.client().pods().inNamespace("default").list().getItems()).isEmpty();
    assertThat(b.client().namespaces().withName("kube-system").get()).isNotNull();
  }

  @Test
  void watchesUnderAPathPrefixSeeOnlyTheirCluster() {
    SharedKubeSandbox.Cluster a = kubes.add("a");
    SharedKubeSandbox.Cluster b = kubes.add("b");
    SharedIndexInformer<Pod> informer = a.client().pods().inAnyNamespace().inform();
    try {
      await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);

      b.client()
          .pods()
          .inNamespace("default")
          .resource(TestPods.labelled("default", "other"))
          .create();
      a.client()
          .pods()
          .inNamespace("default")
          .resource(TestPods.labelled("default", "mine"))
          .create();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(informer.getStore().list())
                      .extracting(p -> p.getMetadata().getName())
                      .containsExactly("mine"));
    } finally {
      informer.close();
    }
  }

  @Test
  void aClosedClusterAnswersNotFoundWhileOthersServe() {
    SharedKubeSandbox.Cluster gone = kubes.add("gone");
    SharedKubeSandbox.Cluster kept = kubes.add("kept");
    var client = new KubernetesClientBuilder().withConfig(gone.config()).build();
    try {
      gone.close();

      assertThatThrownBy(() -> client.pods().inNamespace("default").list())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(404));
      assertThat(kept.client().pods().inNamespace("default").list().getItems()).isEmpty();
      assertThat(kubes.size()).isEqualTo(1);
    } finally {
      client.close();
    }
  }

  @Test
  void refusesANameThatCannotBeAPathSegment() {
    assertThatThrownBy(() -> kubes.add("A/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("A/b");
  }
}
