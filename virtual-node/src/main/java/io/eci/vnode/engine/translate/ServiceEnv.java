package io.eci.vnode.engine.translate;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service environment variables a kubelet gives every container ({@code WEB_SERVICE_HOST},
 * {@code WEB_SERVICE_PORT}, {@code WEB_PORT_80_TCP_ADDR}...): for the API server's {@code
 * kubernetes} service in {@code default} always, and for every service of the pod's namespace
 * unless the pod sets {@code enableServiceLinks: false}. Headless services and services without a
 * cluster IP have none. A variable the container defines itself wins.
 */
final class ServiceEnv {

  private static final String MASTER_NAMESPACE = "default";
  private static final String MASTER_SERVICE = "kubernetes";

  private ServiceEnv() {}

  static Map<String, String> of(Pod pod, References references) {
    String namespace = pod.getMetadata().getNamespace();
    boolean links = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
    Map<String, Service> byName = new TreeMap<>();
    for (Service service : references.services(MASTER_NAMESPACE)) {
      if (MASTER_SERVICE.equals(service.getMetadata().getName()) && hasClusterIp(service)) {
        byName.put(MASTER_SERVICE, service);
      }
    }
    if (links) {
      for (Service service : references.services(namespace)) {
        if (hasClusterIp(service)) {
          byName.put(service.getMetadata().getName(), service);
        }
      }
    }
    Map<String, String> vars = new LinkedHashMap<>();
    byName.values().forEach(s -> add(s, vars));
    return vars;
  }

  private static boolean hasClusterIp(Service service) {
    String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    return ip != null && !ip.isEmpty() && !"None".equals(ip);
  }

  private static void add(Service service, Map<String, String> vars) {
    String prefix = name(service.getMetadata().getName());
    String ip = service.getSpec().getClusterIP();
    List<ServicePort> ports =
        service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
    vars.put(prefix + "_SERVICE_HOST", ip);
    if (ports.isEmpty()) {
      return;
    }
    vars.put(prefix + "_SERVICE_PORT", String.valueOf(ports.get(0).getPort()));
    for (ServicePort port : ports) {
      if (port.getName() != null && !port.getName().isEmpty()) {
        vars.put(prefix + "_SERVICE_PORT_" + name(port.getName()), String.valueOf(port.getPort()));
      }
    }
    // Docker link variables, in the order the kubelet writes them.
    for (int i = 0; i < ports.size(); i++) {
      ServicePort port = ports.get(i);
      String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
      String lower = protocol.toLowerCase(Locale.ROOT);
      String host = ip.contains(":") ? "[" + ip + "]" : ip; // an IPv6 address, as JoinHostPort
      String url = lower + "://" + host + ":" + port.getPort();
      String portPrefix =
          prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
      if (i == 0) {
        vars.put(prefix + "_PORT", url);
      }
      vars.put(portPrefix, url);
      vars.put(portPrefix + "_PROTO", lower);
      vars.put(portPrefix + "_PORT", String.valueOf(port.getPort()));
      vars.put(portPrefix + "_ADDR", ip);
    }
  }

  /** {@code my-db} → {@code MY_DB}. */
  private static String name(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
