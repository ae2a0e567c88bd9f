package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodBindingIT {

  private Cluster kube;
  private KubernetesClient client;
  private RawHttp http;

  @BeforeEach
  void start() {
    kube = Cluster.forTests(getClass().getSimpleName());
    client = kube.client();
    http = new RawHttp(kube);
    client.pods().inNamespace("default").resource(TestPods.labelled("default", "web")).create();
  }

  @AfterEach
  void stop() {
    // Fields stay null when the cluster is not available and the test is skipped.
    if (kube != null) {
      kube.close();
    }
  }

  @Test
  void bindingSubresourceSetsNodeNameAndScheduledCondition() {
    RawHttp.Reply reply =
        http.send(
            "POST",
            "/api/v1/namespaces/default/pods/web/binding",
            "application/json",
            Serialization.asJson(TestPods.binding("web", "virtual-kubelet")));

    assertThat(reply.code()).isEqualTo(201);
    assertThat(reply.body().path("status").asText()).isEqualTo("Success");
    Pod pod = client.pods().inNamespace("default").withName("web").get();
    assertThat(pod.getSpec().getNodeName()).isEqualTo("virtual-kubelet");
    assertThat(pod.getStatus().getConditions())
        .extracting(PodCondition::getType, PodCondition::getStatus)
        .containsExactly(Tuple.tuple("PodScheduled", "True"));
  }

  @Test
  void fabric8BindingsCollectionBindsThePodNamedByTheBinding() {
    client.bindings().inNamespace("default").resource(TestPods.binding("web", "vk")).create();

    assertThat(client.pods().inNamespace("default").withName("web").get().getSpec().getNodeName())
        .isEqualTo("vk");
  }

  @Test
  void bindingAnAlreadyBoundPodIsAConflictAndKeepsTheFirstNode() {
    client.bindings().inNamespace("default").resource(TestPods.binding("web", "vk")).create();

    RawHttp.Reply again =
        http.send(
            "POST",
            "/api/v1/namespaces/default/pods/web/binding",
            "application/json",
            Serialization.asJson(TestPods.binding("web", "other")));

    assertThat(again.code()).isEqualTo(409);
    assertThat(again.body().path("reason").asText()).isEqualTo("Conflict");
    assertThat(again.body().path("message").asText()).contains("already assigned to node \"vk\"");
    assertThat(client.pods().inNamespace("default").withName("web").get().getSpec().getNodeName())
        .isEqualTo("vk");
  }

  @Test
  void bindingAnUnknownPodIsNotFound() {
    RawHttp.Reply reply =
        http.send(
            "POST",
            "/api/v1/namespaces/default/pods/ghost/binding",
            "application/json",
            Serialization.asJson(TestPods.binding("ghost", "vk")));

    assertThat(reply.code()).isEqualTo(404);
    assertThat(reply.body().path("reason").asText()).isEqualTo("NotFound");
    assertThatThrownBy(
            () ->
                client
                    .bindings()
                    .inNamespace("default")
                    .resource(TestPods.binding("ghost", "vk"))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void nodeNameCannotBeSetByAnUpdateOnlyByABinding() {
    assertThatThrownBy(
            () ->
                client
                    .pods()
                    .inNamespace("default")
                    .withName("web")
                    .edit(
                        p -> {
                          p.getSpec().setNodeName("vk");
                          return p;
                        }))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
  }
}
