package io.eci.vnode.sandbox.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory holding one version of the control plane: {@code etcd}, {@code kube-apiserver},
 * {@code kube-scheduler}, {@code kube-controller-manager}, and optionally a {@code kubectl} of the
 * same version. The installer ({@value #INSTALL}) fills one per Debian source version; any other
 * directory with these binaries (another Kubernetes version, say) is taken by path.
 */
public final class ControlPlaneBinaries {

  /** The installer, relative to the project's root. */
  public static final String INSTALL = "sandbox/control-plane/install.sh";

  /** System property naming the directory; wins over {@link #ENV}. */
  public static final String PROPERTY = "vnode.control-plane.bin";

  /** Environment variable naming the directory. */
  public static final String ENV = "VNODE_CONTROL_PLANE_BIN";

  /** Environment variable naming the installer's cache (default {@code ~/.cache/...}). */
  public static final String CACHE_ENV = "VNODE_CONTROL_PLANE_CACHE";

  /** The binaries a control plane cannot start without. */
  public static final List<String> REQUIRED =
      List.of("etcd", "kube-apiserver", "kube-scheduler", "kube-controller-manager");

  private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+\\S*");

  private final Path dir;
  private volatile String version;

  private ControlPlaneBinaries(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The binaries in {@code dir}, whatever it holds (see {@link #missing()}). */
  public static ControlPlaneBinaries at(Path dir) {
    return new ControlPlaneBinaries(dir);
  }

  /**
   * The configured directory ({@value #PROPERTY}, then {@value #ENV}), else the installer's {@code
   * current} one.
   */
  public static ControlPlaneBinaries configured() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(ENV);
    }
    if (configured != null && !configured.isBlank()) {
      return at(Path.of(configured));
    }
    return at(installerCache().resolve("current").resolve("bin"));
  }

  /**
   * The configured binaries, complete.
   *
   * @throws MissingControlPlaneException naming what is missing and how to install it
   */
  public static ControlPlaneBinaries require() {
    ControlPlaneBinaries binaries = configured();
    if (!binaries.missing().isEmpty()) {
      throw new MissingControlPlaneException(binaries.missingMessage());
    }
    return binaries;
  }

  /** Where the installer caches its builds. */
  public static Path installerCache() {
    String cache = System.getenv(CACHE_ENV);
    if (cache != null && !cache.isBlank()) {
      return Path.of(cache);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("eci-vnode").resolve("control-plane");
  }

  public Path dir() {
    return dir;
  }

  /** The required binaries that are not there, or not executable. */
  public List<String> missing() {
    return REQUIRED.stream().filter(name -> !Files.isExecutable(dir.resolve(name))).toList();
  }

  /** What is missing, where it was looked for, and the command that installs it. */
  public String missingMessage() {
    return "No Kubernetes control plane in "
        + dir
        + " (missing: "
        + String.join(", ", missing())
        + "). Install it with "
        + INSTALL
        + " (as root: Debian packages, then a build of about 8 minutes, once per machine), or"
        + " point -D"
        + PROPERTY
        + " or "
        + ENV
        + " at a directory with "
        + String.join(", ", REQUIRED)
        + ".";
  }

  /** One binary of this directory. */
  public Path path(String name) {
    return dir.resolve(name);
  }

  /** The kubectl of the same version, when the directory has one. */
  public Optional<Path> kubectl() {
    Path kubectl = dir.resolve("kubectl");
    return Files.isExecutable(kubectl) ? Optional.of(kubectl) : Optional.empty();
  }

  /** The Kubernetes version of the API server binary, e.g. {@code v1.20.2}. */
  public String version() {
    if (version == null) {
      String printed = run(path("kube-apiserver"), "--version");
      Matcher m = VERSION.matcher(printed);
      if (!m.find()) {
        throw new IllegalStateException(
            path("kube-apiserver") + " --version printed no version: " + printed);
      }
      version = m.group();
    }
    return version;
  }

  private static String run(Path binary, String... args) {
    try {
      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.addAll(List.of(args));
      // output to a file, so a binary that hangs cannot hold the read past the deadline
      Path out = Files.createTempFile("control-plane-version", ".out");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(binary + " " + String.join(" ", args) + " hung");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
