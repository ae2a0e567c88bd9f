package io.eci.vnode.service.hosting;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * A replica's default name ({@code vnode.hosting.replica} unset): one that stays across restarts,
 * so a restarted replica finds its own claims. A random part would make it a stranger to them.
 */
final class ReplicaName {

  private ReplicaName() {}

  /** The pod's name (Kubernetes sets {@code HOSTNAME} to it), else the host name. */
  static String byDefault(Map<String, String> env) {
    String pod = env.get("HOSTNAME");
    if (pod != null && !pod.isBlank()) {
      return pod.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "replica";
    }
  }
}
