package io.eci.vnode.engine.translate;

import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.Container;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** One Kubernetes container as an ECI container: command, env, ports, resources, probes, hooks. */
final class ContainerTranslator {

  private static final BigDecimal GIB = BigDecimal.valueOf(1024L * 1024 * 1024);

  private final Pod pod;
  private final References references;
  private final Findings findings;
  private final Map<String, String> serviceEnv;

  ContainerTranslator(Pod pod, References references, Findings findings) {
    this.pod = pod;
    this.references = references;
    this.findings = findings;
    this.serviceEnv = ServiceEnv.of(pod, references);
  }

  Container translate(io.fabric8.kubernetes.api.model.Container k, String kind) {
    String where = kind + " " + k.getName();
    Container c = new Container();
    c.setName(k.getName());
    c.setImage(k.getImage());
    ContainerEnv env = env(k, where);
    c.setEnvironmentVars(nullIfEmpty(env.vars()));
    c.setCommands(nullIfEmpty(expandAll(k.getCommand(), env, where + " command")));
    c.setArgs(nullIfEmpty(expandAll(k.getArgs(), env, where + " args")));
    c.setWorkingDir(k.getWorkingDir());
    c.setImagePullPolicy(k.getImagePullPolicy());
    c.setTty(k.getTty());
    c.setStdin(k.getStdin());
    c.setStdinOnce(k.getStdinOnce());
    c.setPorts(ports(k.getPorts()));
    resources(k, c);
    c.setVolumeMounts(
        nullIfEmpty(
            k.getVolumeMounts().stream()
                .map(
                    m -> {
                      var mount = new Container.VolumeMount();
                      mount.setName(m.getName());
                      mount.setMountPath(m.getMountPath());
                      mount.setReadOnly(m.getReadOnly());
                      mount.setSubPath(emptyToNull(m.getSubPath()));
                      return mount;
                    })
                .toList()));
    c.setLivenessProbe(probe(k.getLivenessProbe(), k, where + " livenessProbe"));
    c.setReadinessProbe(probe(k.getReadinessProbe(), k, where + " readinessProbe"));
    if (k.getStartupProbe() != null) {
      findings.warn(where + ": startupProbe is not supported by ECI and was left out");
    }
    lifecycle(k, c, where);
    securityContext(k, c, where);
    return c;
  }

  private List<Container.Port> ports(List<ContainerPort> ports) {
    return nullIfEmpty(
        ports.stream()
            .map(
                p -> {
                  var port = new Container.Port();
                  port.setPort(p.getContainerPort());
                  port.setProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol());
                  return port;
                })
            .toList());
  }

  /**
   * A container's environment as ECI takes it, and what its {@code $(VAR)} references can be
   * expanded to: the values known here, and the names whose value only the instance learns (its
   * address).
   */
  private record ContainerEnv(
      List<Container.EnvironmentVar> vars, Map<String, String> known, Set<String> runtimeOnly) {

    String value(String name, Findings findings, String where) {
      String value = known.get(name);
      if (value == null && runtimeOnly.contains(name)) {
        findings.warn(
            where
                + ": $("
                + name
                + ") is left as written: its value (the instance's address) is known only inside"
                + " the instance");
      }
      return value;
    }
  }

  private List<String> expandAll(List<String> items, ContainerEnv env, String where) {
    return items.stream()
        .map(item -> Expansion.expand(item, name -> env.value(name, findings, where)))
        .toList();
  }

  private ContainerEnv env(io.fabric8.kubernetes.api.model.Container k, String where) {
    List<Container.EnvironmentVar> vars = new ArrayList<>();
    for (var from : k.getEnvFrom()) {
      if (from.getConfigMapRef() != null) {
        Optional<ConfigMap> map =
            references.configMap(namespace(), from.getConfigMapRef().getName());
        if (map.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
          findings.waiting(
              where
                  + ": envFrom ConfigMap "
                  + from.getConfigMapRef().getName()
                  + " does not exist");
        }
        map.ifPresent(
            m ->
                data(m.getData())
                    .forEach((key, v) -> vars.add(plain(prefix(from.getPrefix()) + key, v))));
      } else if (from.getSecretRef() != null) {
        Optional<Secret> secret = references.secret(namespace(), from.getSecretRef().getName());
        if (secret.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
          findings.waiting(
              where + ": envFrom Secret " + from.getSecretRef().getName() + " does not exist");
        }
        secret.ifPresent(
            s ->
                data(s.getData())
                    .forEach(
                        (key, v) -> vars.add(plain(prefix(from.getPrefix()) + key, decode(v)))));
      }
    }
    // As the kubelet does: an env value's $(VAR) references see envFrom, the env declared before
    // it and the service variables; a later definition of a name replaces an earlier one (env
    // over envFrom); the service variables come last, for the names the container left free.
    Map<String, String> known = new HashMap<>();
    Set<String> runtimeOnly = new HashSet<>();
    vars.forEach(v -> known.put(v.getKey(), v.getValue()));
    ContainerEnv sofar = new ContainerEnv(vars, known, runtimeOnly);
    Function<String, String> lookup =
        name -> {
          String value = sofar.value(name, findings, where + " env");
          return value != null ? value : serviceEnv.get(name);
        };
    for (EnvVar e : k.getEnv()) {
      Optional<Container.EnvironmentVar> var =
          e.getValueFrom() == null
              ? Optional.of(
                  plain(e.getName(), Expansion.expand(Objects.toString(e.getValue(), ""), lookup)))
              : resolve(e.getName(), e.getValueFrom(), k, where);
      var.ifPresent(
          v -> {
            vars.add(v);
            if (v.getFieldRefFieldPath() != null) {
              known.remove(v.getKey());
              runtimeOnly.add(v.getKey());
            } else {
              known.put(v.getKey(), v.getValue());
              runtimeOnly.remove(v.getKey());
            }
          });
    }
    Map<String, Container.EnvironmentVar> byName = new LinkedHashMap<>();
    vars.forEach(v -> byName.put(v.getKey(), v));
    serviceEnv.forEach(
        (name, value) -> {
          if (byName.putIfAbsent(name, plain(name, value)) == null) {
            known.put(name, value);
          }
        });
    return new ContainerEnv(new ArrayList<>(byName.values()), known, runtimeOnly);
  }

  private Optional<Container.EnvironmentVar> resolve(
      String name, EnvVarSource from, io.fabric8.kubernetes.api.model.Container k, String where) {
    if (from.getFieldRef() != null) {
      String path = from.getFieldRef().getFieldPath();
      return switch (path) {
        case "metadata.name" -> Optional.of(plain(name, pod.getMetadata().getName()));
        case "metadata.namespace" -> Optional.of(plain(name, namespace()));
        case "metadata.uid" -> Optional.of(plain(name, pod.getMetadata().getUid()));
        case "spec.nodeName" -> Optional.of(plain(name, pod.getSpec().getNodeName()));
        case "spec.serviceAccountName" ->
            Optional.of(plain(name, pod.getSpec().getServiceAccountName()));
        case "status.podIP", "status.hostIP" -> {
          // Only ECI knows the address: it fills the value in when the instance starts.
          var v = new Container.EnvironmentVar();
          v.setKey(name);
          v.setFieldRefFieldPath("status.podIP");
          yield Optional.of(v);
        }
        default -> {
          findings.unsupported(
              where + ": env " + name + " refers to field " + path + ", which ECI cannot provide");
          yield Optional.empty();
        }
      };
    }
    if (from.getConfigMapKeyRef() != null) {
      var ref = from.getConfigMapKeyRef();
      Optional<String> value =
          references
              .configMap(namespace(), ref.getName())
              .map(m -> data(m.getData()).get(ref.getKey()));
      if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
        findings.waiting(
            where
                + ": env "
                + name
                + " needs key "
                + ref.getKey()
                + " of ConfigMap "
                + ref.getName()
                + ", which does not exist");
      }
      return value.map(v -> plain(name, v));
    }
    if (from.getSecretKeyRef() != null) {
      var ref = from.getSecretKeyRef();
      Optional<String> value =
          references
              .secret(namespace(), ref.getName())
              .map(s -> data(s.getData()).get(ref.getKey()))
              .map(ContainerTranslator::decode);
      if (value.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
        findings.waiting(
            where
                + ": env "
                + name
                + " needs key "
                + ref.getKey()
                + " of Secret "
                + ref.getName()
                + ", which does not exist");
      }
      return value.map(v -> plain(name, v));
    }
    if (from.getResourceFieldRef() != null) {
      findings.unsupported(
          where + ": env " + name + " uses resourceFieldRef, which ECI cannot provide");
    }
    return Optional.empty();
  }

  /** Limits size the container when set (they are what ECI bills and enforces), else requests. */
  private void resources(io.fabric8.kubernetes.api.model.Container k, Container c) {
    if (k.getResources() == null) {
      return;
    }
    Map<String, Quantity> limits =
        k.getResources().getLimits() == null ? Map.of() : k.getResources().getLimits();
    Map<String, Quantity> requests =
        k.getResources().getRequests() == null ? Map.of() : k.getResources().getRequests();
    Quantity cpu = limits.getOrDefault("cpu", requests.get("cpu"));
    Quantity memory = limits.getOrDefault("memory", requests.get("memory"));
    if (cpu != null) {
      c.setCpu(Quantity.getAmountInBytes(cpu).floatValue());
    }
    if (memory != null) {
      c.setMemory(
          Quantity.getAmountInBytes(memory).divide(GIB, MathContext.DECIMAL64).floatValue());
    }
    Quantity gpu = limits.get("nvidia.com/gpu");
    if (gpu != null) {
      c.setGpu(Quantity.getAmountInBytes(gpu).intValue());
    }
  }

  private Container.ContainerProbe probe(
      Probe p, io.fabric8.kubernetes.api.model.Container k, String where) {
    if (p == null) {
      return null;
    }
    var probe = new Container.ContainerProbe();
    probe.setInitialDelaySeconds(p.getInitialDelaySeconds());
    probe.setPeriodSeconds(p.getPeriodSeconds());
    probe.setTimeoutSeconds(p.getTimeoutSeconds());
    probe.setSuccessThreshold(p.getSuccessThreshold());
    probe.setFailureThreshold(p.getFailureThreshold());
    if (p.getExec() != null) {
      probe.setExec(p.getExec().getCommand());
    } else if (p.getHttpGet() != null) {
      var http = new Container.ContainerHttpGet();
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

  private void lifecycle(io.fabric8.kubernetes.api.model.Container k, Container c, String where) {
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

  private void hook(
      LifecycleHandler handler,
      io.fabric8.kubernetes.api.model.Container k,
      String where,
      HookSetters to) {
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

  private void securityContext(
      io.fabric8.kubernetes.api.model.Container k, Container c, String where) {
    var sc = k.getSecurityContext();
    if (sc == null) {
      return;
    }
    if (Boolean.TRUE.equals(sc.getPrivileged())) {
      findings.unsupported(where + ": privileged containers cannot run on ECI");
    }
    var context = new Container.SecurityContext();
    context.setRunAsUser(sc.getRunAsUser());
    context.setReadOnlyRootFilesystem(sc.getReadOnlyRootFilesystem());
    if (sc.getCapabilities() != null && !sc.getCapabilities().getAdd().isEmpty()) {
      var capability = new Container.Capability();
      capability.setAdds(sc.getCapabilities().getAdd());
      context.setCapability(capability);
    }
    c.setSecurityContext(context);
  }

  /** A port number, or a named port of the container resolved to its number. */
  private Integer port(
      IntOrString port, io.fabric8.kubernetes.api.model.Container k, String where) {
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

  private String namespace() {
    return pod.getMetadata().getNamespace();
  }

  private static Container.EnvironmentVar plain(String name, String value) {
    var v = new Container.EnvironmentVar();
    v.setKey(name);
    v.setValue(value);
    return v;
  }

  private static Map<String, String> data(Map<String, String> data) {
    return data == null ? Map.of() : data;
  }

  private static String prefix(String prefix) {
    return prefix == null ? "" : prefix;
  }

  private static String decode(String base64) {
    return base64 == null
        ? null
        : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static <T> List<T> nullIfEmpty(List<T> list) {
    return list == null || list.isEmpty() ? null : list;
  }
}
