package io.eci.vnode.engine.selection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's {@code kube-system/eci-profile} ConfigMap: ECI settings that override the node's
 * for new pods, and selectors that send more pods to ECI. A profile with a format error is refused
 * whole (the previous one stays in force) and the problems are reported, as ACK's virtual node
 * does.
 *
 * @param vSwitchIds overrides the node's vSwitches when present
 * @param securityGroupId overrides the node's security group when present
 * @param enableClusterIp whether instances run kube-proxy (ClusterIP services), when present
 * @param selectors in order; the first that matches a pod wins
 */
public record EciProfile(
    Optional<List<String>> vSwitchIds,
    Optional<String> securityGroupId,
    Optional<Boolean> enableClusterIp,
    List<Selector> selectors) {

  /** Where the profile lives. */
  public static final String NAMESPACE = "kube-system";

  public static final String NAME = "eci-profile";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A profile that changes nothing. */
  public static EciProfile empty() {
    return new EciProfile(Optional.empty(), Optional.empty(), Optional.empty(), List.of());
  }

  /**
   * One selector: pods whose namespace has all {@code namespaceLabels} and which have all {@code
   * podLabels} go to ECI, with the effect's labels and annotations added (never overwriting the
   * pod's). A selector with no labels selects nothing itself; its effect applies to every ECI pod.
   */
  public record Selector(
      String name,
      Map<String, String> namespaceLabels,
      Map<String, String> podLabels,
      Map<String, String> effectLabels,
      Map<String, String> effectAnnotations) {

    boolean selectsByItself() {
      return !namespaceLabels.isEmpty() || !podLabels.isEmpty();
    }

    boolean matches(Map<String, String> namespace, Map<String, String> pod) {
      return namespace.entrySet().containsAll(namespaceLabels.entrySet())
          && pod.entrySet().containsAll(podLabels.entrySet());
    }
  }

  /** Reads a profile, or the reasons it is refused. */
  public static Parsed parse(ConfigMap map) {
    Map<String, String> data = map.getData() == null ? Map.of() : map.getData();
    List<String> problems = new ArrayList<>();
    Optional<List<String>> vSwitches =
        Optional.ofNullable(data.get("vSwitchIds"))
            .map(
                v ->
                    Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList());
    vSwitches.ifPresent(
        list ->
            list.stream()
                .filter(v -> !v.matches("vsw-[a-z0-9]+"))
                .forEach(v -> problems.add("vSwitchIds: '" + v + "' is not a vSwitch id")));
    Optional<String> securityGroup =
        Optional.ofNullable(data.get("securityGroupId")).map(String::trim);
    securityGroup
        .filter(sg -> !sg.matches("sg-[a-z0-9]+"))
        .ifPresent(sg -> problems.add("securityGroupId: '" + sg + "' is not a security group id"));
    Optional<Boolean> clusterIp = Optional.empty();
    String flag = data.get("enableClusterIp");
    if (flag != null) {
      if (flag.equals("true") || flag.equals("false")) {
        clusterIp = Optional.of(Boolean.parseBoolean(flag));
      } else {
        problems.add("enableClusterIp: must be \"true\" or \"false\"");
      }
    }
    List<Selector> selectors = selectors(data.get("selectors"), problems);
    if (!problems.isEmpty()) {
      return new Parsed(Optional.empty(), problems);
    }
    return new Parsed(
        Optional.of(new EciProfile(vSwitches, securityGroup, clusterIp, selectors)), List.of());
  }

  /** A parsed profile, or why it was refused. */
  public record Parsed(Optional<EciProfile> profile, List<String> problems) {}

  private static List<Selector> selectors(String json, List<String> problems) {
    if (json == null || json.isBlank()) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      problems.add("selectors: not valid JSON");
      return List.of();
    }
    if (!root.isArray()) {
      problems.add("selectors: must be a JSON array");
      return List.of();
    }
    List<Selector> selectors = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode s = root.get(i);
      String name = s.path("name").asText("");
      if (name.isEmpty()) {
        problems.add("selectors[" + i + "]: name is required");
      }
      selectors.add(
          new Selector(
              name,
              strings(
                  s.path("namespaceSelector").path("matchLabels"),
                  "selectors[" + i + "].namespaceSelector",
                  problems),
              strings(
                  s.path("objectSelector").path("matchLabels"),
                  "selectors[" + i + "].objectSelector",
                  problems),
              strings(
                  s.path("effect").path("labels"), "selectors[" + i + "].effect.labels", problems),
              strings(
                  s.path("effect").path("annotations"),
                  "selectors[" + i + "].effect.annotations",
                  problems)));
    }
    return selectors;
  }

  private static Map<String, String> strings(JsonNode node, String where, List<String> problems) {
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      problems.add(where + ": must be an object of strings");
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isTextual()) {
                problems.add(where + "." + e.getKey() + ": must be a string");
              } else {
                map.put(e.getKey(), e.getValue().asText());
              }
            });
    return map;
  }
}
