package io.eci.vnode.sandbox;

import io.eci.vnode.sandbox.controlplane.ControlPlaneCommand;
import io.eci.vnode.sandbox.eci.EciCommand;
import io.eci.vnode.sandbox.kube.KubeCommand;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code java -jar sandbox.jar eci|kube|control-plane [options]}: runs one stand-in, or a real
 * control plane, until interrupted.
 */
public final class SandboxMain {

  private SandboxMain() {}

  public static void main(String[] args) throws Exception {
    readableLogLines();
    if (args.length == 0) {
      usage();
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "eci" -> EciCommand.main(rest);
      case "kube" -> KubeCommand.main(rest);
      case "control-plane" -> ControlPlaneCommand.main(rest);
      default -> {
        System.err.println("unknown stand-in '" + args[0] + "'");
        usage();
        System.exit(2);
      }
    }
  }

  /**
   * slf4j-simple, the jar's binding, writes {@code 12:00:01.234 INFO ControlPlane - ...} to stderr
   * rather than the logger's full name and thread; a {@code -Dorg.slf4j.simpleLogger.*} of the
   * caller wins. Set before the first logger exists, which reads them once.
   */
  private static void readableLogLines() {
    Map.of(
            "org.slf4j.simpleLogger.showDateTime", "true",
            "org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS",
            "org.slf4j.simpleLogger.showThreadName", "false",
            "org.slf4j.simpleLogger.showShortLogName", "true")
        .forEach(
            (name, value) -> {
              if (System.getProperty(name) == null) {
                System.setProperty(name, value);
              }
            });
  }

  private static void usage() {
    System.err.println(
        """
        usage: java -jar sandbox.jar <stand-in> [options]
          eci   a local Alibaba Cloud ECI/RAM/STS endpoint (java -jar sandbox.jar eci --help)
          kube  a local Kubernetes API server stand-in (java -jar sandbox.jar kube --help)
          control-plane  a real Kubernetes control plane, as sandbox/control-plane/install.sh installs it
                (java -jar sandbox.jar control-plane --help)
        """);
  }
}
