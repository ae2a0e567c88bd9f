package io.eci.vnode.sandbox.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One binary of a control plane, running, its output in {@code <logs>/<name>.log} and its process
 * id in {@code <run>/<name>.pid}. The pid file lets a later start in the same directory stop what a
 * killed test JVM left behind.
 */
final class Daemon {

  private static final long STOP_SECONDS = 10;

  private final String name;
  private final Process process;
  private final Path log;
  private final Path pidFile;

  private Daemon(String name, Process process, Path log, Path pidFile) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.pidFile = pidFile;
  }

  /** Starts {@code command}; its output goes to the log file, appended. */
  static Daemon start(String name, List<String> command, Path workDir) {
    Path log = workDir.resolve("logs").resolve(name + ".log");
    Path pidFile = workDir.resolve("run").resolve(name + ".pid");
    try {
      Files.createDirectories(log.getParent());
      Files.createDirectories(pidFile.getParent());
      stopLeftover(pidFile, workDir);
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      Files.writeString(pidFile, Long.toString(process.pid()));
      return new Daemon(name, process, log, pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
    }
  }

  /** Stops whatever a previous run in {@code workDir} left running (see {@link #stopLeftover}). */
  static void stopLeftovers(Path workDir) {
    Path run = workDir.resolve("run");
    if (!Files.isDirectory(run)) {
      return;
    }
    try (var pidFiles = Files.list(run)) {
      for (Path pidFile : pidFiles.filter(p -> p.toString().endsWith(".pid")).toList()) {
        stopLeftover(pidFile, workDir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops a process a previous run in {@code workDir} recorded and never stopped (its JVM was
   * killed), but only when its command line still names {@code workDir}: a recycled pid is someone
   * else's process.
   */
  private static void stopLeftover(Path pidFile, Path workDir) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (NumberFormatException e) {
      Files.delete(pidFile);
      return;
    }
    Optional<ProcessHandle> leftover = ProcessHandle.of(pid);
    if (leftover.isPresent()
        && leftover
            .get()
            .info()
            .commandLine()
            .map(c -> c.contains(workDir.toString()))
            .orElse(false)) {
      leftover.get().destroyForcibly();
      try {
        leftover.get().onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException(
            "a " + pidFile.getFileName() + " process of an earlier run did not stop", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    Files.delete(pidFile);
  }

  String name() {
    return name;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, then SIGKILL after ten seconds. */
  void stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // a stale pid file is checked against the command line before it is acted on
    }
  }

  Path log() {
    return log;
  }

  /** The last lines of the log, for an error message. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
