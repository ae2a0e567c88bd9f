package io.eci.vnode.service.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.engine.selection.AdmissionHandler;
import io.eci.vnode.service.api.ApiProblem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook of managed clusters, called by their API servers. No API token: the URL the
 * service installed in the cluster carries the cluster's {@link WebhookSecrets secret}, and only a
 * caller that shows it is answered — a cluster id alone, or a wrong secret, gets a 403 that says
 * nothing of the cluster. It answers with the engine of the cluster this replica runs; a replica
 * that does not run it allows the pod unchanged, and the owner's binder places it.
 */
@Path("/webhook/v1/clusters/{id}")
@Tag(name = "webhook", description = "Admission webhook called by managed clusters' API servers")
public class WebhookResource {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookResource.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  // The same words whether the id is no cluster, another cluster's, or the secret is wrong.
  private static final String REFUSED =
      "This webhook URL is not one the service installed; the engine installs the right one in"
          + " the cluster's MutatingWebhookConfiguration when it starts";

  private final Admissions admissions;
  private final WebhookSecrets secrets;

  WebhookResource(Admissions admissions, WebhookSecrets secrets) {
    this.admissions = admissions;
    this.secrets = secrets;
  }

  @POST
  @Path("{secret}/mutate")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "AdmissionReview v1 in, AdmissionReview with a JSONPatch out")
  @APIResponse(responseCode = "200", description = "The AdmissionReview answer")
  @APIResponse(
      responseCode = "403",
      description = "The URL does not carry the cluster's webhook secret")
  public String mutate(
      @PathParam("id") String id, @PathParam("secret") String secret, String admissionReview) {
    UUID clusterId =
        clusterId(id)
            .filter(c -> secrets.matches(c, secret))
            .orElseThrow(() -> ApiProblem.forbidden(REFUSED));
    Optional<AdmissionHandler> admission = admissions.of(clusterId);
    if (admission.isEmpty()) {
      // Allowed unchanged: never block a pod; the binder of the replica that runs it places it.
      return unchanged(admissionReview);
    }
    return admission.get().review(admissionReview);
  }

  /**
   * The URL of releases before the secret: refused like a wrong secret, until the cluster's engine
   * starts on this release and replaces its webhook configuration.
   */
  @POST
  @Path("mutate")
  @Operation(hidden = true)
  public String mutateWithoutSecret(@PathParam("id") String id) {
    LOG.debug("webhook of {} called without its secret", id);
    throw ApiProblem.forbidden(REFUSED);
  }

  private static Optional<UUID> clusterId(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String unchanged(String admissionReview) {
    String uid = "";
    try {
      uid = JSON.readTree(admissionReview).path("request").path("uid").asText("");
    } catch (IOException e) {
      // an unreadable review is allowed like any other
    }
    return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
        + "\"response\":{\"uid\":\""
        + uid.replace("\"", "")
        + "\",\"allowed\":true}}";
  }
}
