package io.eci.vnode.service.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.engine.selection.AdmissionHandler;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook of managed clusters, called by their API servers (no API token: the
 * cluster's unguessable id in the path names it). It answers with the engine of the cluster this
 * replica runs; a replica that does not run it allows the pod unchanged, and the owner's binder
 * places it.
 */
@Path("/webhook/v1/clusters/{id}")
@Tag(name = "webhook", description = "Admission webhook called by managed clusters' API servers")
public class WebhookResource {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookResource.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Admissions admissions;

  WebhookResource(Admissions admissions) {
    this.admissions = admissions;
  }

  @POST
  @Path("mutate")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "AdmissionReview v1 in, AdmissionReview with a JSONPatch out")
  public String mutate(@PathParam("id") String id, String admissionReview) {
    Optional<AdmissionHandler> admission = Optional.empty();
    try {
      admission = admissions.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      LOG.debug("webhook called for {}, which is not a cluster id", id);
    }
    if (admission.isEmpty()) {
      // Allowed unchanged: never block a pod; the binder of the replica that runs it places it.
      return unchanged(admissionReview);
    }
    return admission.get().review(admissionReview);
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
