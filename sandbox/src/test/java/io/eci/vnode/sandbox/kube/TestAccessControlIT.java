package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * What a test may turn on to stand in for a real API server's access control: a required bearer
 * token (401 otherwise) and access reviews that refuse named verbs. Only the stand-in has these
 * switches, so these tests do not run against the real API server.
 */
class TestAccessControlIT {

  @Test
  void aStandInThatRequiresATokenAnswers401ToAnyOtherAndServesItsOwnClient() throws Exception {
    try (KubeSandbox kube = KubeSandbox.startRequiringToken("the-token")) {
      assertThat(kube.client().namespaces().withName("kube-system").get().getMetadata().getUid())
          .isNotBlank();
      assertThat(kube.authorization()).contains("Bearer the-token");

      Config wrong = kube.config();
      wrong.setOauthToken("not-the-token");
      try (KubernetesClient other = new KubernetesClientBuilder().withConfig(wrong).build()) {
        assertThatThrownBy(() -> other.namespaces().withName("kube-system").get())
            .isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(401));
      }
      HttpResponse<String> anonymous =
          kube.httpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(kube.url() + "/api/v1/namespaces")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).contains("\"reason\":\"Unauthorized\"");
    }
  }

  @Test
  void aRefusedVerbIsNotAllowedInAccessReviewsWhileOthersStillAre() {
    try (KubeSandbox kube = KubeSandbox.start()) {
      kube.refuseInAccessReviews("patch", "pods/status");
      assertThat(allowed(kube, "patch", "pods", "status")).isFalse();
      assertThat(allowed(kube, "patch", "pods", null)).isTrue();
      assertThat(allowed(kube, "get", "pods", "status")).isTrue();
    }
  }

  private static boolean allowed(KubeSandbox kube, String verb, String resource, String sub) {
    SelfSubjectAccessReview review =
        kube.client()
            .authorization()
            .v1()
            .selfSubjectAccessReview()
            .create(
                new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withNewResourceAttributes()
                    .withVerb(verb)
                    .withResource(resource)
                    .withSubresource(sub)
                    .endResourceAttributes()
                    .endSpec()
                    .build());
    return review.getStatus().getAllowed();
  }
}
