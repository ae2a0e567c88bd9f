package io.eci.vnode.engine.translate;

import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.Container.ContainerHttpGet;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.Container.ContainerProbe;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.List;
import java.util.function.Consumer;

/**
 * A container's probes and lifecycle hooks as ECI's: exec, httpGet and tcpSocket, a named port
 * resolved to its number; any other kind is refused.
 */
final class ProbeTranslator {

  private final Findings findings;

  ProbeTranslator(Findings findings) {
    this.findings = findings;
  }

  ContainerProbe probe(Probe p, Container k, String where) {
    if (p == null) {
      return null;
    }
    var probe = new ContainerProbe();
    probe.setInitialDelaySeconds(p.getInitialDelaySeconds());
    probe.setPeriodSeconds(p.getPeriodSeconds());
    probe.setTimeoutSeconds(p.getTimeoutSeconds());
    probe.setSuccessThreshold(p.getSuccessThreshold());
    probe.setFailureThreshold(p.getFailureThreshold());
    if (p.getExec() != null) {
      probe.setExec(p.getExec().getCommand());
    } else if (p.getHttpGet() != null) {
      var http = new ContainerHttpGet();
      http.setPath(p.getHttpGet().getPath());
      http.setPort(port(p.getHttpGet().getPort(), k, where));
      http.setScheme(p.getHttpGet().getScheme());
      probe.setHttpGet(http);
    } else if (p.getTcpSocket() != null) {
      probe.setTcpSocketPort(port(p.getTcpSocket().getPort(), k, where));
    } else {
      findings.unsupported(where + ": only exec, httpGet and tcpSocket probes run on ECI");
    }
    return probe;
  }

  /** ECI's setters for one lifecycle hook, so postStart and preStop translate the same way. */
  private record HookSetters(
      Consumer<List<String>> exec,
      Consumer<String> httpPath,
      Consumer<Integer> httpPort,
      Consumer<String> httpScheme,
      Consumer<Integer> tcpPort) {}

  void lifecycle(Container k, CreateContainerGroupRequest.Container c, String where) {
    if (k.getLifecycle() == null) {
      return;
    }
    hook(
        k.getLifecycle().getPostStart(),
        k,
        where + " postStart",
        new HookSetters(
            c::setLifecyclePostStartHandlerExecs,
            c::setLifecyclePostStartHandlerHttpGetPath,
            c::setLifecyclePostStartHandlerHttpGetPort,
            c::setLifecyclePostStartHandlerHttpGetScheme,
            c::setLifecyclePostStartHandlerTcpSocketPort));
    hook(
        k.getLifecycle().getPreStop(),
        k,
        where + " preStop",
        new HookSetters(
            c::setLifecyclePreStopHandlerExecs,
            c::setLifecyclePreStopHandlerHttpGetPath,
            c::setLifecyclePreStopHandlerHttpGetPort,
            c::setLifecyclePreStopHandlerHttpGetScheme,
            c::setLifecyclePreStopHandlerTcpSocketPort));
  }

  private void hook(LifecycleHandler handler, Container k, String where, HookSetters to) {
    if (handler == null) {
      return;
    }
    if (handler.getExec() != null) {
      to.exec().accept(handler.getExec().getCommand());
    } else if (handler.getHttpGet() != null) {
      to.httpPath().accept(handler.getHttpGet().getPath());
      to.httpPort().accept(port(handler.getHttpGet().getPort(), k, where));
      to.httpScheme().accept(handler.getHttpGet().getScheme());
    } else if (handler.getTcpSocket() != null) {
      to.tcpPort().accept(port(handler.getTcpSocket().getPort(), k, where));
    } else {
      findings.unsupported(where + ": only exec, httpGet and tcpSocket hooks run on ECI");
    }
  }

  /** A port number, or a named port of the container resolved to its number. */
  private Integer port(IntOrString port, Container k, String where) {
    if (port == null) {
      return null;
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return k.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseGet(
            () -> {
              findings.unsupported(
                  where + ": port '" + port.getStrVal() + "' is not a named port of the container");
              return null;
            });
  }
}
