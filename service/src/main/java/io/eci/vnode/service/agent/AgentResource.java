package io.eci.vnode.service.agent;

import io.eci.vnode.engine.status.PodPhase;
import io.eci.vnode.service.access.AgentCredentials.AgentToken;
import io.eci.vnode.service.access.Allowed;
import io.eci.vnode.service.access.Caller;
import io.eci.vnode.service.access.Role;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.api.Problem.InvalidParam;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The agent API: a cluster's agent, with one of that cluster's agent tokens, pulls the cluster's
 * configuration (long poll on its ETag) and pushes its heartbeat. The token names the cluster:
 * there is no way to name another.
 */
@Path("/agent/v1")
@Allowed(Role.AGENT)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "agent", description = "For the in-cluster agent of an unmanaged cluster")
public class AgentResource {

  private static final int MAX_WAIT_SECONDS = 30;

  private final AgentConfigs configs;
  private final ConfigWatch watch;
  private final AgentHeartbeats heartbeats;
  private final Caller caller;

  AgentResource(
      AgentConfigs configs, ConfigWatch watch, AgentHeartbeats heartbeats, Caller caller) {
    this.configs = configs;
    this.watch = watch;
    this.heartbeats = heartbeats;
    this.caller = caller;
  }

  @GET
  @Path("config")
  @Blocking
  @Operation(
      summary =
          "The cluster's configuration and mode. With If-None-Match naming the current ETag,"
              + " waits up to `wait` seconds for a change and answers 304 if none came")
  @APIResponse(
      responseCode = "200",
      description = "The configuration; its ETag names it",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = AgentConfigView.class)))
  @APIResponse(responseCode = "304", description = "Unchanged by the end of the wait")
  @APIResponse(responseCode = "404", description = "The cluster is no longer registered")
  public CompletionStage<Response> config(
      @Parameter(description = "seconds to wait for a change, 0 to 30 (default 0)")
          @QueryParam("wait")
          String wait,
      @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
    int seconds = waitSeconds(wait);
    AgentToken agent = agent();
    AgentConfigs.Versioned now = current(agent);
    if (ifNoneMatch == null || !ifNoneMatch.equals(now.etag())) {
      return CompletableFuture.completedFuture(ok(now));
    }
    if (seconds == 0) {
      return CompletableFuture.completedFuture(notModified(now));
    }
    return watch
        .change(
            agent.clusterId(),
            now.config().version(),
            Instant.now().plus(Duration.ofSeconds(seconds)))
        .thenApplyAsync(
            changed -> {
              Optional<AgentConfigs.Versioned> after = configs.of(agent);
              if (after.isEmpty()) {
                throw ApiProblem.notFound("cluster", agent.clusterId());
              }
              return after.get().etag().equals(ifNoneMatch)
                  ? notModified(after.get())
                  : ok(after.get());
            },
            watch.answers());
  }

  @PUT
  @Path("status")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "The agent's heartbeat; while the cluster is unmanaged it is the cluster's status, as"
              + " a hosted engine's report is in managed mode")
  @APIResponse(responseCode = "204", description = "Recorded")
  public Response status(AgentReport report) {
    check(report);
    heartbeats.record(agent(), report);
    return Response.noContent().build();
  }

  private AgentToken agent() {
    return new AgentToken(
        caller.tenantId().orElseThrow(), caller.clusterId().orElseThrow(), caller.tokenId());
  }

  private AgentConfigs.Versioned current(AgentToken agent) {
    return configs.of(agent).orElseThrow(() -> ApiProblem.notFound("cluster", agent.clusterId()));
  }

  private static Response ok(AgentConfigs.Versioned config) {
    return Response.ok(config.config()).header(HttpHeaders.ETAG, config.etag()).build();
  }

  private static Response notModified(AgentConfigs.Versioned config) {
    return Response.notModified().header(HttpHeaders.ETAG, config.etag()).build();
  }

  private static int waitSeconds(String wait) {
    if (wait == null) {
      return 0;
    }
    try {
      int seconds = Integer.parseInt(wait);
      if (seconds >= 0 && seconds <= MAX_WAIT_SECONDS) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // answered below, as any other bad value
    }
    throw ApiProblem.invalid(
        "wait", "must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
  }

  private static void check(AgentReport report) {
    if (report == null) {
      throw ApiProblem.invalid("body", "is required");
    }
    List<InvalidParam> wrong = new ArrayList<>();
    if (report.holder() == null || report.holder().isBlank()) {
      wrong.add(new InvalidParam("holder", "is required"));
    }
    if (report.nodeReady() == null) {
      wrong.add(new InvalidParam("nodeReady", "is required"));
    }
    Map<String, Long> phases = report.podsByPhase() == null ? Map.of() : report.podsByPhase();
    phases.forEach(
        (phase, count) -> {
          if (Arrays.stream(PodPhase.values()).noneMatch(p -> p.wire().equals(phase))) {
            wrong.add(
                new InvalidParam(
                    "podsByPhase." + phase,
                    "is not a pod phase (Pending, Running, Succeeded, Failed, Unknown)"));
          } else if (count == null || count < 0) {
            wrong.add(new InvalidParam("podsByPhase." + phase, "must be 0 or more"));
          }
        });
    if (!wrong.isEmpty()) {
      throw ApiProblem.invalid(wrong);
    }
  }
}
