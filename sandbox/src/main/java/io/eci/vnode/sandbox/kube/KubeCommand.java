package io.eci.vnode.sandbox.kube;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar sandbox.jar kube [--port 16443] [--kubeconfig PATH]}: runs a {@link KubeSandbox}
 * on 127.0.0.1 until interrupted, after writing a kubeconfig for kubectl.
 */
public final class KubeCommand {

  static final int DEFAULT_PORT = 16443;
  static final String DEFAULT_KUBECONFIG = "sandbox-kubeconfig";

  private static final String USAGE =
      """
      usage: java -jar sandbox.jar kube [--port PORT] [--kubeconfig PATH]

      Runs a Kubernetes API server stand-in on http://127.0.0.1:PORT, for tests and demos only:
      in-memory, no authentication, no scheduler, kubelet or controllers.

        --port PORT        port to listen on (default %d; 0 picks a free port)
        --kubeconfig PATH  where to write a kubeconfig for kubectl (default ./%s)
        --help             print this help
      """
          .formatted(DEFAULT_PORT, DEFAULT_KUBECONFIG);

  private KubeCommand() {}

  /** Parsed command line. */
  record Options(int port, Path kubeconfig) {

    /** Parses the arguments; null means "print usage" (--help). */
    static Options parse(String[] args) {
      int port = DEFAULT_PORT;
      Path kubeconfig = Path.of(DEFAULT_KUBECONFIG);
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> {
            return null;
          }
          case "--port" -> port = parsePort(value(args, ++i, "--port"));
          case "--kubeconfig" -> kubeconfig = Path.of(value(args, ++i, "--kubeconfig"));
          default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        }
      }
      return new Options(port, kubeconfig);
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }

    private static int parsePort(String text) {
      try {
        int port = Integer.parseInt(text);
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("--port must be between 0 and 65535");
        }
        return port;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--port must be a number, not '" + text + "'");
      }
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.print(USAGE);
      return;
    }
    KubeSandbox sandbox;
    try {
      sandbox = KubeSandbox.start(options.port());
    } catch (IllegalStateException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println(e.getMessage() + ": " + cause.getMessage());
      System.exit(1);
      return;
    }
    Path kubeconfig = sandbox.writeKubeconfig(options.kubeconfig()).toAbsolutePath();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sandbox.close();
                  stopped.countDown();
                },
                "kube-sandbox-shutdown"));
    System.out.println(
        """
        Kubernetes API server stand-in (sandbox: for tests and demos only, not a real cluster)
          listening on  %s
          kubeconfig    %s
          try           KUBECONFIG=%s kubectl get ns
        Press Ctrl-C to stop.
        """
            .formatted(sandbox.url(), kubeconfig, kubeconfig));
    stopped.await();
  }
}
