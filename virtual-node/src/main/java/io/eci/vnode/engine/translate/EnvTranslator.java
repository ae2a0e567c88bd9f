package io.eci.vnode.engine.translate;

import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.Container.EnvironmentVar;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
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
import java.util.function.Function;

/**
 * A container's environment as ECI takes it, as the kubelet builds it: envFrom, env with its
 * references (fields, ConfigMap and Secret keys) resolved, the service variables, and {@code
 * $(VAR)} expansion. A reference that cannot be resolved yet is waited for; one ECI cannot provide
 * is refused.
 */
final class EnvTranslator {

  private final Pod pod;
  private final References references;
  private final Findings findings;
  private final Map<String, String> serviceEnv;

  EnvTranslator(Pod pod, References references, Findings findings) {
    this.pod = pod;
    this.references = references;
    this.findings = findings;
    this.serviceEnv = ServiceEnv.of(pod, references);
  }

  /**
   * A container's environment as ECI takes it, and what its {@code $(VAR)} references can be
   * expanded to: the values known here, and the names whose value only the instance learns (its
   * address).
   */
  record ContainerEnv(
      List<EnvironmentVar> vars, Map<String, String> known, Set<String> runtimeOnly) {

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

  List<String> expandAll(List<String> items, ContainerEnv env, String where) {
    return items.stream()
        .map(item -> Expansion.expand(item, name -> env.value(name, findings, where)))
        .toList();
  }

  ContainerEnv env(Container k, String where) {
    List<EnvironmentVar> vars = new ArrayList<>();
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
      Optional<EnvironmentVar> var =
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
    Map<String, EnvironmentVar> byName = new LinkedHashMap<>();
    vars.forEach(v -> byName.put(v.getKey(), v));
    serviceEnv.forEach(
        (name, value) -> {
          if (byName.putIfAbsent(name, plain(name, value)) == null) {
            known.put(name, value);
          }
        });
    return new ContainerEnv(new ArrayList<>(byName.values()), known, runtimeOnly);
  }

  private Optional<EnvironmentVar> resolve(
      String name, EnvVarSource from, Container k, String where) {
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
          var v = new EnvironmentVar();
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
              .map(EnvTranslator::decode);
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

  private String namespace() {
    return pod.getMetadata().getNamespace();
  }

  private static EnvironmentVar plain(String name, String value) {
    var v = new EnvironmentVar();
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
}
