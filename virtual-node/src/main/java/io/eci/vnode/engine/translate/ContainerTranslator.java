package io.eci.vnode.engine.translate;

import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

/** One Kubernetes container as an ECI container: command, env, ports, resources, probes, hooks. */
final class ContainerTranslator {

  private static final BigDecimal GIB = BigDecimal.valueOf(1024L * 1024 * 1024);

  private final Findings findings;
  private final EnvTranslator env;
  private final ProbeTranslator probes;

  ContainerTranslator(Pod pod, References references, Findings findings) {
    this.findings = findings;
    this.env = new EnvTranslator(pod, references, findings);
    this.probes = new ProbeTranslator(findings);
  }

  CreateContainerGroupRequest.Container translate(Container k, String kind) {
    String where = kind + " " + k.getName();
    var c = new CreateContainerGroupRequest.Container();
    c.setName(k.getName());
    c.setImage(k.getImage());
    EnvTranslator.ContainerEnv vars = env.env(k, where);
    c.setEnvironmentVars(nullIfEmpty(vars.vars()));
    c.setCommands(nullIfEmpty(env.expandAll(k.getCommand(), vars, where + " command")));
    c.setArgs(nullIfEmpty(env.expandAll(k.getArgs(), vars, where + " args")));
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
                      var mount = new CreateContainerGroupRequest.Container.VolumeMount();
                      mount.setName(m.getName());
                      mount.setMountPath(m.getMountPath());
                      mount.setReadOnly(m.getReadOnly());
                      mount.setSubPath(emptyToNull(m.getSubPath()));
                      return mount;
                    })
                .toList()));
    c.setLivenessProbe(probes.probe(k.getLivenessProbe(), k, where + " livenessProbe"));
    c.setReadinessProbe(probes.probe(k.getReadinessProbe(), k, where + " readinessProbe"));
    if (k.getStartupProbe() != null) {
      findings.warn(where + ": startupProbe is not supported by ECI and was left out");
    }
    probes.lifecycle(k, c, where);
    securityContext(k, c, where);
    return c;
  }

  private List<CreateContainerGroupRequest.Container.Port> ports(List<ContainerPort> ports) {
    return nullIfEmpty(
        ports.stream()
            .map(
                p -> {
                  var port = new CreateContainerGroupRequest.Container.Port();
                  port.setPort(p.getContainerPort());
                  port.setProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol());
                  return port;
                })
            .toList());
  }

  /** Limits size the container when set (they are what ECI bills and enforces), else requests. */
  private void resources(Container k, CreateContainerGroupRequest.Container c) {
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

  private void securityContext(Container k, CreateContainerGroupRequest.Container c, String where) {
    var sc = k.getSecurityContext();
    if (sc == null) {
      return;
    }
    if (Boolean.TRUE.equals(sc.getPrivileged())) {
      findings.unsupported(where + ": privileged containers cannot run on ECI");
    }
    var context = new CreateContainerGroupRequest.Container.SecurityContext();
    context.setRunAsUser(sc.getRunAsUser());
    context.setReadOnlyRootFilesystem(sc.getReadOnlyRootFilesystem());
    if (sc.getCapabilities() != null && !sc.getCapabilities().getAdd().isEmpty()) {
      var capability = new CreateContainerGroupRequest.Container.Capability();
      capability.setAdds(sc.getCapabilities().getAdd());
      context.setCapability(capability);
    }
    c.setSecurityContext(context);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static <T> List<T> nullIfEmpty(List<T> list) {
    return list == null || list.isEmpty() ? null : list;
  }
}
