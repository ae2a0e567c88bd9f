package io.eci.vnode.engine.translate;

import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.DnsConfig;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.ImageRegistryCredential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.InstanceTags;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod bound to the virtual node as a CreateContainerGroup request. A pure function of the pod,
 * the objects it refers to and the node's configuration. What ECI cannot run is refused with every
 * reason at once; what it can safely leave out becomes a warning.
 */
public final class PodTranslator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_NAME = 128;

  private PodTranslator() {}

  /**
   * Translates a pod.
   *
   * @throws TranslationException when the pod cannot run on ECI (now, or until a reference appears)
   */
  public static Translation translate(Pod pod, References references, TranslationContext context) {
    Findings findings = new Findings();
    checkPodLevel(pod, findings);
    ContainerTranslator containers = new ContainerTranslator(pod, references, findings);
    CreateContainerGroupRequest request = new CreateContainerGroupRequest();
    request.setContainerGroupName(instanceName(pod));
    request.setContainers(
        pod.getSpec().getContainers().stream()
            .map(c -> containers.translate(c, "container"))
            .toList());
    List<CreateContainerGroupRequest.Container> init =
        pod.getSpec().getInitContainers().stream()
            .map(c -> containers.translate(c, "init container"))
            .toList();
    request.setInitContainers(init.isEmpty() ? null : init);
    request.setVolumes(new VolumeTranslator(pod, references, findings).translate());
    request.setSecurityGroupId(context.config().securityGroupId());
    request.setVSwitchId(String.join(",", context.config().vSwitchIds()));
    request.setRestartPolicy(pod.getSpec().getRestartPolicy());
    request.setTerminationGracePeriodSeconds(pod.getSpec().getTerminationGracePeriodSeconds());
    dns(pod, context, request, findings);
    request.setHostAliases(hostAliases(pod));
    request.setImageRegistryCredentials(registryCredentials(pod, references, findings));
    Annotations.apply(pod, request, findings);
    request.setTags(tags(pod, context));
    findings.throwIfAny();
    return new Translation(
        new CreateInstance(request, pod.getMetadata().getUid()), List.copyOf(findings.warnings));
  }

  private static void checkPodLevel(Pod pod, Findings findings) {
    var spec = pod.getSpec();
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      findings.unsupported("hostNetwork: ECI instances have their own network, not a host's");
    }
    if (Boolean.TRUE.equals(spec.getHostPID()) || Boolean.TRUE.equals(spec.getHostIPC())) {
      findings.unsupported("hostPID/hostIPC: there is no shared host on ECI");
    }
    if (spec.getSecurityContext() != null && !spec.getSecurityContext().getSysctls().isEmpty()) {
      findings.unsupported("sysctls are not supported by this virtual node");
    }
    boolean daemonSet =
        pod.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> "DaemonSet".equals(o.getKind()));
    if (daemonSet) {
      findings.unsupported("DaemonSet pods do not run on virtual nodes; use a sidecar instead");
    }
  }

  /**
   * {@code <namespace>-<name>}, as ECI names allow: lowercase letters, digits and '-', at most 128.
   */
  static String instanceName(Pod pod) {
    String name =
        (pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName())
            .toLowerCase()
            .replaceAll("[^a-z0-9-]", "-");
    if (name.length() > MAX_NAME) {
      name = name.substring(0, MAX_NAME);
    }
    return name.replaceAll("^-+|-+$", "");
  }

  private static void dns(
      Pod pod, TranslationContext context, CreateContainerGroupRequest request, Findings findings) {
    String policy =
        pod.getSpec().getDnsPolicy() == null ? "ClusterFirst" : pod.getSpec().getDnsPolicy();
    PodDNSConfig own = pod.getSpec().getDnsConfig();
    DnsConfig config = new DnsConfig();
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<DnsConfig.DnsConfigOption> options = new ArrayList<>();
    switch (policy) {
      case "ClusterFirst", "ClusterFirstWithHostNet" -> {
        if (context.clusterDns().isPresent()) {
          request.setDnsPolicy("None");
          servers.add(context.clusterDns().get());
          String ns = pod.getMetadata().getNamespace();
          searches.addAll(List.of(ns + ".svc.cluster.local", "svc.cluster.local", "cluster.local"));
          options.add(option("ndots", "5"));
        } else {
          request.setDnsPolicy("Default");
          findings.warn(
              "dnsPolicy "
                  + policy
                  + ": the cluster's DNS address is unknown, so the instance resolves names through the VPC");
        }
      }
      case "Default" -> request.setDnsPolicy("Default");
      case "None" -> request.setDnsPolicy("None");
      default -> findings.unsupported("dnsPolicy " + policy + " is not known");
    }
    if (own != null) {
      servers.addAll(own.getNameservers());
      searches.addAll(own.getSearches());
      own.getOptions().forEach(o -> options.add(option(o.getName(), o.getValue())));
    }
    if (!servers.isEmpty() || !searches.isEmpty() || !options.isEmpty()) {
      config.setNameServers(servers.isEmpty() ? null : servers);
      config.setSearches(searches.isEmpty() ? null : searches);
      config.setOptions(options.isEmpty() ? null : options);
      request.setDnsConfig(config);
    }
  }

  private static DnsConfig.DnsConfigOption option(String name, String value) {
    var o = new DnsConfig.DnsConfigOption();
    o.setName(name);
    o.setValue(value);
    return o;
  }

  private static List<CreateContainerGroupRequest.HostAliase> hostAliases(Pod pod) {
    List<CreateContainerGroupRequest.HostAliase> aliases = new ArrayList<>();
    for (var a : pod.getSpec().getHostAliases()) {
      var alias = new CreateContainerGroupRequest.HostAliase();
      alias.setIp(a.getIp());
      alias.setHostnames(a.getHostnames());
      aliases.add(alias);
    }
    return aliases.isEmpty() ? null : aliases;
  }

  /** Image pull secrets of type dockerconfigjson or dockercfg, as ECI registry credentials. */
  private static List<ImageRegistryCredential> registryCredentials(
      Pod pod, References references, Findings findings) {
    List<ImageRegistryCredential> credentials = new ArrayList<>();
    for (var ref : pod.getSpec().getImagePullSecrets()) {
      var secret = references.secret(pod.getMetadata().getNamespace(), ref.getName());
      if (secret.isEmpty()) {
        findings.waiting("image pull secret " + ref.getName() + " does not exist");
        continue;
      }
      Map<String, String> data = secret.get().getData() == null ? Map.of() : secret.get().getData();
      String document = data.getOrDefault(".dockerconfigjson", data.get(".dockercfg"));
      if (document == null) {
        findings.unsupported(
            "image pull secret "
                + ref.getName()
                + " is not of type kubernetes.io/dockerconfigjson or dockercfg");
        continue;
      }
      try {
        JsonNode root = JSON.readTree(Base64.getDecoder().decode(document));
        JsonNode auths = root.has("auths") ? root.get("auths") : root;
        auths.fields().forEachRemaining(e -> credentials.add(credential(e.getKey(), e.getValue())));
      } catch (IOException | IllegalArgumentException e) {
        findings.unsupported(
            "image pull secret " + ref.getName() + " does not hold a readable docker config");
      }
    }
    return credentials.isEmpty() ? null : credentials;
  }

  private static ImageRegistryCredential credential(String server, JsonNode entry) {
    String user = entry.path("username").asText(null);
    String password = entry.path("password").asText(null);
    if ((user == null || password == null) && entry.has("auth")) {
      String pair =
          new String(
              Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8);
      int colon = pair.indexOf(':');
      user = pair.substring(0, Math.max(colon, 0));
      password = pair.substring(colon + 1);
    }
    var credential = new ImageRegistryCredential();
    credential.setServer(server.replaceFirst("^https?://", "").replaceFirst("/.*$", ""));
    credential.setUserName(user);
    credential.setPassword(password);
    return credential;
  }

  private static List<CreateContainerGroupRequest.Tag> tags(Pod pod, TranslationContext context) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(InstanceTags.CLUSTER, context.config().clusterId());
    tags.put(InstanceTags.NAMESPACE, pod.getMetadata().getNamespace());
    tags.put(InstanceTags.POD_NAME, truncate(pod.getMetadata().getName()));
    tags.put(InstanceTags.POD_UID, pod.getMetadata().getUid());
    tags.put(InstanceTags.NODE, context.nodeName());
    return tags.entrySet().stream()
        .map(
            e -> {
              var tag = new CreateContainerGroupRequest.Tag();
              tag.setKey(e.getKey());
              tag.setValue(e.getValue());
              return tag;
            })
        .toList();
  }

  private static String truncate(String value) {
    return Optional.ofNullable(value)
        .map(v -> v.length() > InstanceTags.MAX_VALUE ? v.substring(0, InstanceTags.MAX_VALUE) : v)
        .orElse("");
  }
}
