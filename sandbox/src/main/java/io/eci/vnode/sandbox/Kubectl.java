package io.eci.vnode.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real kubectl binary run as a person runs it, as a subprocess with a kubeconfig file and a
 * private {@code HOME} (its own discovery cache), for tests against the stand-in or a real cluster.
 */
public final class Kubectl {

  private static final long DEADLINE_SECONDS = 60;

  private final Path binary;
  private final Path kubeconfig;
  private final Path home;

  /** Output of a finished kubectl run. */
  public record Result(int exitCode, String out, String err) {

    /** The non-blank lines of standard output. */
    public List<String> lines() {
      return out.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /**
   * @param home its {@code HOME}, created if needed
   */
  public Kubectl(Path binary, Path kubeconfig, Path home) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.home = home;
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The machine's kubectl (from {@code PATH}) against {@code cluster}, with an administrator's
   * kubeconfig written into {@code workDir}. Its absence fails the test (CI installs it); it never
   * skips.
   */
  public static Kubectl forCluster(Cluster cluster, Path workDir) {
    Path binary =
        onPath()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "kubectl was not found on PATH. The tests run the real binary:"
                            + " sandbox/control-plane/install.sh installs one (or install"
                            + " kubectl v1.32 and put it on PATH)."));
    return new Kubectl(
        binary, cluster.writeKubeconfig(workDir.resolve("kubeconfig")), workDir.resolve("home"));
  }

  /** The kubectl on {@code PATH}, if there is one. */
  public static Optional<Path> onPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Its client version, e.g. {@code v1.32.4}. */
  public String clientVersion() {
    try {
      return new ObjectMapper()
          .readTree(ok("version", "--client", "-o", "json"))
          .path("clientVersion")
          .path("gitVersion")
          .asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs kubectl to completion (60 s deadline) and returns its exit code and output. */
  public Result run(String... args) {
    try {
      // output goes to files, so a chatty kubectl can never block on a full pipe
      Path out = Files.createTempFile(home, "kubectl", ".out");
      Path err = Files.createTempFile(home, "kubectl", ".err");
      Process process =
          command(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "kubectl "
                + String.join(" ", args)
                + " did not finish within "
                + DEADLINE_SECONDS
                + " s");
      }
      Result result =
          new Result(
              process.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs kubectl, fails unless it exits 0, and returns its standard output. */
  public String ok(String... args) {
    Result result = run(args);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          "kubectl "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + "\nstdout:\n"
              + result.out()
              + "\nstderr:\n"
              + result.err());
    }
    return result.out();
  }

  /**
   * Starts a long-running kubectl (such as {@code get -w}); the caller reads its stdout and stops
   * it.
   */
  public Process start(String... args) {
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
    builder.environment().put("HOME", home.toString());
    return builder;
  }

  @Override
  public String toString() {
    return binary.toString();
  }
}
