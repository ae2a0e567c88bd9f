package io.eci.vnode.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The control service (or the tenant agent: the same Quarkus JVM layout) as an operator runs it:
 * {@code java -jar quarkus-run.jar} with its settings as system properties, its output appended to
 * {@code service.log}. It can be stopped (SIGTERM: it gives up its claims and Leases), killed
 * (SIGKILL: nothing is given up) and started again with the same settings.
 */
final class ServiceProcess implements AutoCloseable {

  private static final Duration START_DEADLINE = Duration.ofSeconds(90);

  private final Path jar;
  private final Map<String, String> settings;
  private final Path log;
  private final int httpPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;

  ServiceProcess(Path jar, Map<String, String> settings, Path log, int httpPort) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no service jar at " + jar + ": build it first (./mvnw -B -ntp install -DskipTests)");
    }
    this.jar = jar;
    this.settings = new TreeMap<>(settings);
    this.log = log;
    this.httpPort = httpPort;
  }

  /** The plain-http address of the REST API. */
  URI api() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** Starts the service and returns once it is ready ({@code /q/health/ready} answers 200). */
  synchronized ServiceProcess start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the service is already running");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dquarkus.http.port=" + httpPort);
    settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(jar.toString());
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "---- started " + Instant.now() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady();
    return this;
  }

  private void awaitReady() {
    HttpRequest ready =
        HttpRequest.newBuilder(api().resolve("/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      await("the service's readiness")
          .atMost(START_DEADLINE)
          .pollInterval(Duration.ofMillis(200))
          .failFast("the service exited before it was ready", () -> !process.isAlive())
          .until(() -> answersOk(ready));
    } catch (TerminalFailureException e) {
      throw new IllegalStateException(
          "the service exited (" + process.exitValue() + ") before it was ready:\n" + logTail(), e);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "the service was not ready within " + START_DEADLINE.toSeconds() + " s:\n" + logTail(),
          e);
    }
  }

  private boolean answersOk(HttpRequest request) throws InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }

  /** SIGTERM, and waits for the process to end (it releases its claims and Leases first). */
  synchronized void stop() {
    end(false);
  }

  /** SIGKILL: the service ends without giving anything up, as in a crash. */
  synchronized void kill() {
    end(true);
  }

  private void end(boolean forcibly) {
    if (process == null || !process.isAlive()) {
      return;
    }
    if (forcibly) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  /** Every line the service has logged so far, across its starts. */
  String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  String logTail() {
    List<String> lines = logText().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() {
    stop();
  }
}
