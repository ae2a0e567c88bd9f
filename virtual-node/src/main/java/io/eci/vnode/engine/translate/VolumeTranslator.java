package io.eci.vnode.engine.translate;

import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest.Volume.ConfigFileVolumeConfigFileToPath;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pod volumes as ECI volumes: emptyDir, NFS, and ConfigMaps and Secrets as config-file volumes
 * whose contents are copied in at creation (a later change to the ConfigMap does not reach a
 * running instance).
 */
final class VolumeTranslator {

  private final Pod pod;
  private final References references;
  private final Findings findings;

  VolumeTranslator(Pod pod, References references, Findings findings) {
    this.pod = pod;
    this.references = references;
    this.findings = findings;
  }

  List<CreateContainerGroupRequest.Volume> translate() {
    List<CreateContainerGroupRequest.Volume> volumes = new ArrayList<>();
    for (var v : pod.getSpec().getVolumes()) {
      String where = "volume " + v.getName();
      CreateContainerGroupRequest.Volume volume = new CreateContainerGroupRequest.Volume();
      volume.setName(v.getName());
      if (v.getEmptyDir() != null) {
        volume.setType("EmptyDirVolume");
        volume.setEmptyDirVolumeMedium(
            "Memory".equals(v.getEmptyDir().getMedium()) ? "Memory" : null);
      } else if (v.getNfs() != null) {
        volume.setType("NFSVolume");
        volume.setNFSVolumeServer(v.getNfs().getServer());
        volume.setNFSVolumePath(v.getNfs().getPath());
        volume.setNFSVolumeReadOnly(v.getNfs().getReadOnly());
      } else if (v.getConfigMap() != null) {
        var ref = v.getConfigMap();
        Optional<Map<String, String>> data =
            references
                .configMap(namespace(), ref.getName())
                .map(m -> base64(m.getData(), m.getBinaryData()));
        if (!configFiles(
            volume,
            data,
            ref.getItems(),
            ref.getDefaultMode(),
            Boolean.TRUE.equals(ref.getOptional()),
            where + " (ConfigMap " + ref.getName() + ")")) {
          continue;
        }
      } else if (v.getSecret() != null) {
        var ref = v.getSecret();
        Optional<Map<String, String>> data =
            references.secret(namespace(), ref.getSecretName()).map(s -> orEmpty(s.getData()));
        if (!configFiles(
            volume,
            data,
            ref.getItems(),
            ref.getDefaultMode(),
            Boolean.TRUE.equals(ref.getOptional()),
            where + " (Secret " + ref.getSecretName() + ")")) {
          continue;
        }
      } else if (v.getProjected() != null && v.getName().startsWith("kube-api-access-")) {
        findings.warn(where + ": the service account token is not mounted into ECI instances yet");
        continue;
      } else {
        findings.unsupported(
            where + ": " + kind(v) + " volumes cannot be mounted into ECI instances");
        continue;
      }
      volumes.add(volume);
    }
    return volumes.isEmpty() ? null : volumes;
  }

  /**
   * Fills a config-file volume; false when there is nothing to mount (missing and optional, or an
   * error).
   */
  private boolean configFiles(
      CreateContainerGroupRequest.Volume volume,
      Optional<Map<String, String>> data,
      List<KeyToPath> items,
      Integer mode,
      boolean optional,
      String where) {
    if (data.isEmpty()) {
      if (!optional) {
        findings.waiting(where + " does not exist");
      }
      return false;
    }
    Map<String, String> paths = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      data.get().forEach(paths::put);
    } else {
      for (KeyToPath item : items) {
        String content = data.get().get(item.getKey());
        if (content == null) {
          findings.waiting(where + " has no key " + item.getKey());
        } else {
          paths.put(item.getPath(), content);
        }
      }
    }
    volume.setType("ConfigFileVolume");
    volume.setConfigFileVolumeDefaultModel(mode);
    volume.setConfigFileVolumeConfigFileToPaths(
        paths.entrySet().stream()
            .map(
                e -> {
                  var file = new ConfigFileVolumeConfigFileToPath();
                  file.setPath(e.getKey());
                  file.setContent(e.getValue());
                  return file;
                })
            .toList());
    return true;
  }

  private String namespace() {
    return pod.getMetadata().getNamespace();
  }

  /** ConfigMap data as base64, as ECI takes file contents; binary data is base64 already. */
  private static Map<String, String> base64(Map<String, String> data, Map<String, String> binary) {
    Map<String, String> all = new LinkedHashMap<>();
    orEmpty(data)
        .forEach(
            (k, v) ->
                all.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    all.putAll(orEmpty(binary));
    return all;
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  private static String kind(Volume v) {
    if (v.getHostPath() != null) {
      return "hostPath";
    }
    if (v.getPersistentVolumeClaim() != null) {
      return "persistentVolumeClaim";
    }
    if (v.getProjected() != null) {
      return "projected";
    }
    if (v.getDownwardAPI() != null) {
      return "downwardAPI";
    }
    return "this kind of";
  }
}
