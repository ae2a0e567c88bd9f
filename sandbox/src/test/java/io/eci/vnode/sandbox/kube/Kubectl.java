package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl binary, run as a subprocess against a stand-in through a kubeconfig file. */
final class Kubectl {

  private static final long DEADLINE_SECONDS = 60;

  private final Path binary;
  private final Path kubeconfig;
  private final Path home;

  /** Output of a finished kubectl run. */
  record Result(int exitCode, String out, String err) {}

  Kubectl(KubeSandbox kube, Path workDir) {
    this.binary = locate();
    this.kubeconfig = kube.writeKubeconfig(workDir.resolve("kubeconfig"));
    this.home = workDir.resolve("home");
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kubectl from PATH; its absence fails the test (CI installs it), it never skips. */
  static Path locate() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(
        "kubectl was not found on PATH. The kube stand-in's kubectl tests need the real binary:"
            + " install kubectl v1.32 (the Kubernetes apt repository, or"
            + " https://dl.k8s.io/release/v1.32.4/bin/linux/amd64/kubectl) and put it on PATH.");
  }

  /** Runs kubectl to completion (60 s deadline) and returns its exit code and output. */
  Result run(String... args) {
    try {
      // output goes to files, so a chatty kubectl can never block on a full pipe
      Path out = Files.createTempFile(home, "kubectl", ".out");
      Path err = Files.createTempFile(home, "kubectl", ".err");
      Process process =
          command(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("kubectl %s did not finish within %d s", String.join(" ", args), DEADLINE_SECONDS);
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs kubectl, fails the test unless it exits 0, and returns its standard output. */
  String ok(String... args) {
    Result result = run(args);
    if (result.exitCode() != 0) {
      fail(
          "kubectl %s exited %d%nstdout:%n%s%nstderr:%n%s",
          String.join(" ", args), result.exitCode(), result.out(), result.err());
    }
    return result.out();
  }

  /**
   * Starts a long-running kubectl (such as {@code get -w}); the caller reads its stdout and stops
   * it.
   */
  Process start(String... args) {
    try {
      return command(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ProcessBuilder command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("HOME", home.toString()); // a private discovery cache
    return builder;
  }
}
