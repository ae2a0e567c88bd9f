package io.eci.vnode.service;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service's local run as a user starts it: {@code java -jar quarkus-run.jar} with no database
 * configured, in a working directory of its own, its output appended to {@code local-run.log}
 * there. It can be stopped (SIGTERM), killed (SIGKILL) and started again in the same directory.
 */
final class LocalRunProcess implements AutoCloseable {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  private final Path workingDirectory;
  private final int port;
  private final List<String> settings;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;

  LocalRunProcess(Path workingDirectory, String... settings) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException("no service jar at " + JAR.toAbsolutePath());
    }
    this.workingDirectory = workingDirectory;
    this.port = freePort();
    this.settings = List.of(settings);
  }

  /** Where the service answers. */
  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  int port() {
    return port;
  }

  /** Starts the service and returns once {@code /q/health/ready} answers 200. */
  LocalRunProcess start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-Dquarkus.http.port=" + port);
    command.add("-Dvnode.hosting.enabled=false");
    settings.forEach(setting -> command.add("-D" + setting));
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    Path log = workingDirectory.resolve("local-run.log");
    Files.writeString(log, "---- started\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // The test JVM's database must not turn the local run into a production one.
    builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_DATASOURCE"));
    process = builder.start();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("the local run exited:\n" + log());
              }
              return status("/q/health/ready") == 200;
            });
    return this;
  }

  /** The status of a GET of {@code path}, or -1 when nothing answers. */
  int status(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** SIGKILL, as in a crash: no shutdown hook runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, and waits for the process to end. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the local run did not end on SIGTERM:\n" + log());
    }
  }

  /** Everything the local run printed, across its starts. */
  String log() {
    try {
      return Files.readString(workingDirectory.resolve("local-run.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      stop();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
