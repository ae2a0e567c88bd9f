package io.eci.vnode.agent.link;

import io.eci.vnode.agent.configuration.RemoteConfig;
import io.eci.vnode.agent.settings.AgentSettings;
import io.eci.vnode.agent.settings.AgentToken;
import io.eci.vnode.engine.node.OutageLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The service's agent API: {@code GET /agent/v1/config} (a long poll) and {@code PUT
 * /agent/v1/status}, authenticated with the agent token. Answers are results, never exceptions, so
 * the callers decide how an outage is shown.
 */
@ApplicationScoped
public class AgentApi {

  /** Longest wait the service grants a long poll. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  // The long poll's own wait plus room for a slow answer.
  private static final Duration ANSWER_MARGIN = Duration.ofSeconds(10);

  private final AgentSettings settings;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  AgentApi(AgentSettings settings) {
    this.settings = settings;
  }

  /**
   * The configuration, or {@link ConfigAnswer.Unchanged} when it still has {@code etag} after
   * {@code wait}.
   */
  public ConfigAnswer config(Optional<String> etag, Duration wait) {
    Optional<AgentToken> token = settings.token();
    if (token.isEmpty()) {
      return new ConfigAnswer.Failed("the agent token file cannot be read");
    }
    long seconds = Math.max(0, Math.min(wait.toSeconds(), MAX_WAIT.toSeconds()));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint("/agent/v1/config?wait=" + seconds))
            .timeout(Duration.ofSeconds(seconds).plus(ANSWER_MARGIN))
            .header("Authorization", token.get().bearer())
            .header("Accept", "application/json")
            .GET();
    etag.ifPresent(e -> request.header("If-None-Match", e));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new ConfigAnswer.Failed(OutageLog.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ConfigAnswer.Failed("interrupted");
    }
    return switch (response.statusCode()) {
      case 200 -> changed(response);
      case 304 -> new ConfigAnswer.Unchanged();
      case 401 ->
          new ConfigAnswer.Refused(
              401,
              "the service refused the agent token (401: unknown or revoked); install a live one"
                  + " from POST /api/v1/clusters/{id}/agent-tokens");
      case 403 ->
          new ConfigAnswer.Refused(
              403,
              "the service refused the agent token for this cluster (403: it is another"
                  + " cluster's token); check agent.cluster-id and the token Secret");
      default ->
          new ConfigAnswer.Failed("the service answered " + response.statusCode() + " to GET");
    };
  }

  private ConfigAnswer changed(HttpResponse<String> response) {
    String etag = response.headers().firstValue("ETag").orElse(null);
    RemoteConfig config;
    try {
      config = RemoteConfig.parse(response.body());
    } catch (IllegalArgumentException e) {
      return new ConfigAnswer.Failed("the service's configuration is unusable: " + e.getMessage());
    }
    // An agent token names its cluster; another cluster's token must never run this one.
    if (!config.clusterId().equals(settings.clusterId())) {
      return new ConfigAnswer.Refused(
          403,
          "the agent token is of cluster "
              + config.clusterId()
              + ", not of agent.cluster-id "
              + settings.clusterId()
              + "; install a token issued for this cluster (POST /api/v1/clusters/"
              + settings.clusterId()
              + "/agent-tokens)");
    }
    return new ConfigAnswer.Changed(config, response.body(), etag);
  }

  /**
   * Reports the agent's status.
   *
   * @throws StatusRefused when the service does not take it (any answer but 2xx, or none)
   */
  public void putStatus(String json) {
    AgentToken token =
        settings.token().orElseThrow(() -> new StatusRefused("the agent token cannot be read"));
    HttpRequest request =
        HttpRequest.newBuilder(endpoint("/agent/v1/status"))
            .timeout(ANSWER_MARGIN)
            .header("Authorization", token.bearer())
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build();
    int status;
    try {
      status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new StatusRefused(OutageLog.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StatusRefused("interrupted");
    }
    if (status / 100 != 2) {
      throw new StatusRefused("the service answered " + status + " to PUT /agent/v1/status");
    }
  }

  private URI endpoint(String path) {
    String base = settings.serviceUrl().toString().replaceAll("/+$", "");
    return URI.create(base + path);
  }

  /** The service did not take a status report. */
  public static final class StatusRefused extends RuntimeException {
    StatusRefused(String message) {
      super(message);
    }
  }
}
