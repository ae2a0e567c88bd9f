package io.eci.vnode.sandbox.controlplane;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code java -jar sandbox.jar control-plane [--dir DIR] [--kubeconfig PATH] [--bin DIR]}: runs a
 * real control plane ({@link ControlPlane}) on 127.0.0.1 until interrupted, after writing an
 * administrator's kubeconfig.
 */
public final class ControlPlaneCommand {

  static final String DEFAULT_DIR = ".vnode/control-plane";

  private static final String USAGE =
      """
      usage: java -jar sandbox.jar control-plane [--dir DIR] [--kubeconfig PATH] [--bin DIR]

      Runs a real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver, kube-scheduler and
      kube-controller-manager, as installed by sandbox/control-plane/install.sh. No kubelet: the only
      nodes are the ones registered (the product's virtual node).

        --dir DIR          its certificates, etcd data and logs (default ./%s; emptied at start)
        --kubeconfig PATH  where to write an administrator's kubeconfig (default DIR/admin.kubeconfig)
        --bin DIR          the binaries (default: the installer's, or VNODE_CONTROL_PLANE_BIN)
        --help             print this help
      """
          .formatted(DEFAULT_DIR);

  private ControlPlaneCommand() {}

  /** Parsed command line; {@code bin} null for the configured binaries. */
  record Options(Path dir, Path kubeconfig, Path bin) {

    /** Parses the arguments; null means "print usage" (--help). */
    static Options parse(String[] args) {
      Path dir = Path.of(DEFAULT_DIR);
      Path kubeconfig = null;
      Path bin = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> {
            return null;
          }
          case "--dir" -> dir = Path.of(value(args, ++i, "--dir"));
          case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i, "--kubeconfig"));
          case "--bin" -> bin = Path.of(value(args, ++i, "--bin"));
          default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        }
      }
      return new Options(
          dir, kubeconfig == null ? dir.resolve("admin.kubeconfig") : kubeconfig, bin);
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }
  }

  public static void main(String[] args) throws InterruptedException {
    int exit = run(args, System.out, System.err);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  /**
   * Starts the control plane and waits until the JVM is interrupted; returns at once with an exit
   * code for a bad command line (2), missing binaries (2) or a failed start (1).
   */
  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (options == null) {
      out.print(USAGE);
      return 0;
    }
    ControlPlaneBinaries binaries =
        options.bin() == null
            ? ControlPlaneBinaries.configured()
            : ControlPlaneBinaries.at(options.bin());
    if (!binaries.missing().isEmpty()) {
      err.println(binaries.missingMessage());
      return 2;
    }
    AtomicReference<ControlPlane> running = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    // before the start, so that Ctrl-C while it starts stops what has started (by its pid files)
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ControlPlane plane = running.get();
                  if (plane != null) {
                    plane.close();
                  } else {
                    Daemon.stopLeftovers(options.dir().toAbsolutePath().normalize());
                  }
                  stopped.countDown();
                },
                "control-plane-shutdown"));
    ControlPlane plane;
    try {
      out.println("Starting Kubernetes " + binaries.version() + " from " + binaries.dir() + " ...");
      plane = ControlPlane.builder().binaries(binaries).workDir(options.dir()).start();
      running.set(plane);
    } catch (RuntimeException e) {
      err.println(e.getMessage());
      return 1;
    }
    Path kubeconfig = plane.writeKubeconfig(options.kubeconfig(), plane.admin()).toAbsolutePath();
    out.println(
        """
        Kubernetes %s (a real control plane, no kubelet)
          API server    %s
          kubeconfig    %s
          logs          %s
          try           KUBECONFIG=%s kubectl get ns
        Press Ctrl-C to stop.
        """
            .formatted(plane.version(), plane.url(), kubeconfig, plane.logs(), kubeconfig));
    stopped.await();
    return 0;
  }
}
