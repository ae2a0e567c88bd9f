package io.eci.vnode.sandbox.controlplane;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, within one start's deadline, for each component to answer its health check; a daemon that
 * exits meanwhile fails the start at once, with the end of its log as the reason.
 */
final class ComponentHealth {

  private static final Logger LOG = LoggerFactory.getLogger(ComponentHealth.class);

  private final HttpClient http;
  private final Duration timeout;
  private final Instant deadline;

  /** Checks over {@code https} trust the control plane's authority ({@code http}'s context). */
  ComponentHealth(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
    this.deadline = Instant.now().plus(timeout);
  }

  /** Waits until {@code uri} answers 200 (with the bearer {@code token}, when not null). */
  void awaitAnswer(String what, URI uri, String token, Daemon daemon) {
    await(what, () -> answers(uri, token), daemon);
  }

  /**
   * Waits for {@code condition} until the start's deadline.
   *
   * @param daemon the process whose exit fails the wait, or null
   * @throws IllegalStateException when the daemon exits or the deadline passes
   */
  void await(String what, BooleanSupplier condition, Daemon daemon) {
    while (!condition.getAsBoolean()) {
      if (daemon != null && !daemon.alive()) {
        throw new IllegalStateException(
            daemon.name()
                + " exited before "
                + what
                + " answered; the end of "
                + daemon.log()
                + ":\n"
                + daemon.logTail(20));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            what
                + " did not answer within "
                + timeout.toSeconds()
                + " s"
                + (daemon == null ? "" : "; the end of " + daemon.log() + ":\n")
                + (daemon == null ? "" : daemon.logTail(20)));
      }
      pause(Duration.ofMillis(100));
    }
    LOG.debug("{}: ok", what);
  }

  private boolean answers(URI uri, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the control plane", e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the control plane", e);
    }
  }
}
