package io.eci.vnode.agent.state;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/**
 * What the agent's parts found out that readiness shows: how the service answers, where the
 * configuration in force came from, and why the engine or the agent's own API calls fail. Each part
 * writes its own fields; the checks only read.
 */
@ApplicationScoped
public class AgentState {

  /** Where the configuration in force came from. */
  public enum Source {
    SERVICE,
    CACHE
  }

  /**
   * A problem and when it was first seen.
   *
   * @param message what an operator reads
   */
  public record Problem(String message, Instant since) {}

  private volatile Problem refused;
  private volatile Problem unreachable;
  private volatile Source source;
  private volatile long version = -1;
  private volatile Problem engine;
  private volatile Problem apiServer;
  private volatile Problem webhook;

  /** The service answered: the token is good. */
  public void serviceAnswered() {
    refused = null;
    unreachable = null;
  }

  /** The service refused the token. */
  public void serviceRefused(String message) {
    unreachable = null;
    refused = keep(refused, message);
  }

  /** The service could not be reached. */
  public void serviceUnreachable(String message) {
    unreachable = keep(unreachable, message);
  }

  /** A configuration is in force, from {@code from}. */
  public void configured(Source from, long configVersion) {
    source = from;
    version = configVersion;
  }

  /** The engine could not be built or started ({@code null}: it could). */
  public void engineProblem(String message) {
    engine = message == null ? null : keep(engine, message);
  }

  /** The agent's own calls to the API server fail ({@code null}: they work again). */
  public void apiServerProblem(String message) {
    apiServer = message == null ? null : keep(apiServer, message);
  }

  /** The webhook cannot be served ({@code null}: it is). */
  public void webhookProblem(String message) {
    webhook = message == null ? null : keep(webhook, message);
  }

  public Optional<Problem> webhook() {
    return Optional.ofNullable(webhook);
  }

  public Optional<Problem> refused() {
    return Optional.ofNullable(refused);
  }

  public Optional<Problem> unreachable() {
    return Optional.ofNullable(unreachable);
  }

  public Optional<Source> source() {
    return Optional.ofNullable(source);
  }

  public long version() {
    return version;
  }

  public Optional<Problem> engine() {
    return Optional.ofNullable(engine);
  }

  public Optional<Problem> apiServer() {
    return Optional.ofNullable(apiServer);
  }

  private static Problem keep(Problem before, String message) {
    return new Problem(message, before == null ? Instant.now() : before.since());
  }
}
