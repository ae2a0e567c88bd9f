package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Requests a real API server refuses are refused here too, without damaging stored objects. */
class RequestValidationIT {

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
  void undecodableUpdateIsABadRequestAndKeepsTheObject() {
    RawHttp.Reply reply =
        http.send(
            "PUT",
            "/api/v1/namespaces/default/pods/web",
            "application/json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"containers\":\"oops\"}}");

    assertThat(reply.code()).isEqualTo(400);
    assertThat(reply.body().path("message").asText()).contains("cannot be handled as a Pod");
    assertThat(client.pods().inNamespace("default").withName("web").get()).isNotNull();
  }

  @Test
  void undecodableCreateIsABadRequest() {
    RawHttp.Reply reply =
        http.send(
            "POST",
            "/api/v1/namespaces/default/pods",
            "application/json",
            "{\"metadata\":{\"name\":\"bad\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"ports\":\"80\"}]}}");

    assertThat(reply.code()).isEqualTo(400);
    assertThat(client.pods().inNamespace("default").withName("bad").get()).isNull();
  }

  @Test
  void aSubresourceATypeLacksIsNotFoundAndABindingTakesOnlyPost() {
    assertThat(http.get("/api/v1/namespaces/default/configmaps/x/status").code()).isEqualTo(404);
    assertThat(
            http.send(
                    "PUT", "/api/v1/namespaces/default/pods/web/binding", "application/json", "{}")
                .code())
        .isEqualTo(405);
  }

  /** A real API server proxies a pod's log from its node's kubelet; the stand-in has none. */
  @Test
  @Tag(Cluster.STAND_IN_ONLY)
  void aPodsLogIsNotServed() {
    assertThat(http.get("/api/v1/namespaces/default/pods/web/log").code()).isEqualTo(404);
  }

  @Test
  void createWithoutANamespaceInTheUrlIsNotAllowed() {
    assertThat(
            http.send(
                    "POST",
                    "/api/v1/pods",
                    "application/json",
                    "{\"metadata\":{\"name\":\"x\",\"namespace\":\"default\"},\"spec\":{\"containers\":[]}}")
                .code())
        .isEqualTo(405);
  }

  @Test
  void nameAndNamespaceMustMatchTheUrl() {
    assertThat(
            http.send(
                    "PUT",
                    "/api/v1/namespaces/default/pods/web",
                    "application/json",
                    "{\"metadata\":{\"name\":\"other\"}}")
                .code())
        .isEqualTo(400);
    assertThat(
            http.send(
                    "POST",
                    "/api/v1/namespaces/default/pods",
                    "application/json",
                    "{\"metadata\":{\"name\":\"x\",\"namespace\":\"kube-system\"},\"spec\":{\"containers\":[]}}")
                .code())
        .isEqualTo(400);
    assertThat(
            http.send(
                    "POST",
                    "/api/v1/namespaces/default/pods",
                    "application/json",
                    "{\"metadata\":{\"name\":\"Not_Valid\"},\"spec\":{\"containers\":[]}}")
                .code())
        .isEqualTo(422);
  }

  @Test
  void accessReviewsAreAllowed() {
    RawHttp.Reply reply =
        http.send(
            "POST",
            "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            "application/json",
            "{\"spec\":{\"resourceAttributes\":{\"verb\":\"create\",\"resource\":\"pods\"}}}");

    assertThat(reply.code()).isEqualTo(201);
    assertThat(reply.body().path("status").path("allowed").asBoolean()).isTrue();
  }
}
