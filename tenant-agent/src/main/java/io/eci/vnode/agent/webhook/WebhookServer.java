package io.eci.vnode.agent.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.agent.settings.AgentSettings;
import io.eci.vnode.engine.selection.AdmissionHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admission webhook over HTTPS on {@code agent.webhook.port}. A Vert.x server of its own on
 * Quarkus' Vert.x rather than a second Quarkus listener: its certificate is made (or read from a
 * Secret through the API server) at start, after Quarkus has bound its listeners from static
 * configuration, and its port must stay apart from the health port the kubelet probes over HTTP.
 * Answers as the service's webhook does: the engine's {@link AdmissionHandler} while the agent runs
 * it, else the pod is allowed unchanged (the webhook never blocks pod creation).
 */
@ApplicationScoped
public class WebhookServer {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final AgentSettings settings;
  private final WebhookEndpoint endpoint;
  private final Admissions admissions;
  private HttpServer server;

  WebhookServer(
      Vertx vertx, AgentSettings settings, WebhookEndpoint endpoint, Admissions admissions) {
    this.vertx = vertx;
    this.settings = settings;
    this.endpoint = endpoint;
    this.admissions = admissions;
  }

  /**
   * Starts listening; returns once it does.
   *
   * @throws IllegalStateException when the port cannot be bound or the certificate had
   */
  public synchronized void start() {
    WebhookCertificate certificate = endpoint.certificate();
    HttpServerOptions options =
        new HttpServerOptions()
            .setSsl(true)
            .setPort(settings.config().webhook().port())
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertValue(Buffer.buffer(certificate.certificate()))
                    .setKeyValue(Buffer.buffer(certificate.key())));
    try {
      server =
          vertx
              .createHttpServer(options)
              .requestHandler(this::handle)
              .listen()
              .toCompletionStage()
              .toCompletableFuture()
              .get(START.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "the webhook cannot listen on port " + options.getPort() + ": " + e.getMessage(), e);
    }
    endpoint.listening(server.actualPort());
    LOG.info("admission webhook listening on port {}", server.actualPort());
  }

  private void handle(HttpServerRequest request) {
    if (!WebhookEndpoint.PATH.equals(request.path())) {
      request.response().setStatusCode(404).end();
      return;
    }
    request
        .body()
        .onSuccess(
            body ->
                vertx
                    .executeBlocking(() -> review(body.toString()), false)
                    .onComplete(
                        answer ->
                            request
                                .response()
                                .putHeader("Content-Type", "application/json")
                                .end(
                                    answer.succeeded()
                                        ? answer.result()
                                        : unchanged(body.toString()))))
        .onFailure(e -> request.response().setStatusCode(400).end());
  }

  private String review(String admissionReview) {
    Optional<AdmissionHandler> admission = admissions.current();
    // Not running the engine: allowed unchanged; the owner's binder places the pod.
    return admission
        .map(a -> a.review(admissionReview))
        .orElseGet(() -> unchanged(admissionReview));
  }

  private static String unchanged(String admissionReview) {
    String uid = "";
    try {
      uid = JSON.readTree(admissionReview).path("request").path("uid").asText("");
    } catch (IOException e) {
      // an unreadable review is allowed like any other
    }
    return "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
        + "\"response\":{\"uid\":"
        + JSON.getNodeFactory().textNode(uid)
        + ",\"allowed\":true}}";
  }

  @PreDestroy
  synchronized void stop() {
    if (server != null) {
      server.close();
    }
  }
}
