package io.eci.vnode.engine.translate;

import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code k8s.aliyun.com/*} pod annotations ECI honours. The common ones are applied; any other
 * one in that namespace is refused by name rather than silently ignored, so a user never believes a
 * setting took effect when it did not. Annotations ECI writes itself are read-only and passed over.
 */
final class Annotations {

  static final String PREFIX = "k8s.aliyun.com/";

  /** The annotations this virtual node applies. */
  static final Set<String> SUPPORTED =
      new TreeSet<>(
          Set.of(
              "eci-use-specs",
              "eci-instance-type",
              "eci-spot-strategy",
              "eci-spot-price-limit",
              "eci-ram-role-name",
              "eci-eip-instanceid",
              "eci-image-snapshot-id",
              "eci-auto-imc",
              "eci-image-cache",
              "eci-ntp-server",
              "eci-sls-enable",
              "eci-vswitch",
              "eci-security-group",
              "eci-resource-group-id"));

  /** Annotations ECI or this virtual node writes on the pod; never instructions. */
  private static final Set<String> READ_ONLY =
      Set.of(
          "eci-request-id",
          "eci-instance-id",
          "eci-instance-spec",
          "eci-instance-compute-category",
          "allocated-eipInstanceId",
          "allocated-eipAddress",
          "allocated-ipv6Address",
          "eci-created-by-template",
          "eni-instance-id",
          "eci-vpc",
          "eci-matched-image-cache",
          "eci-schedule-result",
          "eci-instance-zone");

  private static final Pattern CORES_MEMORY = Pattern.compile("([0-9.]+)-([0-9.]+)Gi");
  private static final Pattern VSWITCHES = Pattern.compile("vsw-[a-z0-9]+(,vsw-[a-z0-9]+)*");

  private Annotations() {}

  static void apply(Pod pod, CreateContainerGroupRequest request, Findings findings) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    if (annotations == null) {
      return;
    }
    annotations.forEach(
        (key, value) -> {
          if (!key.startsWith(PREFIX)) {
            return;
          }
          String name = key.substring(PREFIX.length());
          if (READ_ONLY.contains(name)) {
            return;
          }
          if (!SUPPORTED.contains(name)) {
            findings.unsupported(
                "annotation "
                    + key
                    + " is not supported by this virtual node (supported: "
                    + String.join(", ", SUPPORTED)
                    + ")");
            return;
          }
          applyOne(name, value.trim(), request, findings);
        });
  }

  private static void applyOne(
      String name, String value, CreateContainerGroupRequest request, Findings findings) {
    switch (name) {
      case "eci-use-specs" -> specs(value, request, findings);
      case "eci-instance-type" -> request.setInstanceType(value);
      case "eci-spot-strategy" -> {
        if (!Set.of("SpotAsPriceGo", "SpotWithPriceLimit", "NoSpot").contains(value)) {
          findings.unsupported(
              "annotation k8s.aliyun.com/eci-spot-strategy must be SpotAsPriceGo or SpotWithPriceLimit");
        }
        request.setSpotStrategy(value);
      }
      case "eci-spot-price-limit" ->
          number(value, name, findings).ifPresent(request::setSpotPriceLimit);
      case "eci-ram-role-name" -> request.setRamRoleName(value);
      case "eci-eip-instanceid" -> request.setEipInstanceId(value);
      case "eci-image-snapshot-id" -> request.setImageSnapshotId(value);
      case "eci-auto-imc", "eci-image-cache" ->
          request.setAutoMatchImageCache(Boolean.parseBoolean(value));
      case "eci-ntp-server" ->
          request.setNtpServers(Arrays.stream(value.split(",")).map(String::trim).toList());
      case "eci-sls-enable" -> request.setSlsEnable(Boolean.parseBoolean(value));
      case "eci-vswitch" -> {
        if (!VSWITCHES.matcher(value.replace(" ", "")).matches()) {
          findings.unsupported(
              "annotation k8s.aliyun.com/eci-vswitch must list vSwitch ids (vsw-...), comma-separated");
        }
        request.setVSwitchId(value.replace(" ", ""));
      }
      case "eci-security-group" -> {
        if (value.contains(",")) {
          findings.unsupported(
              "annotation k8s.aliyun.com/eci-security-group: this virtual node takes one security group");
        }
        request.setSecurityGroupId(value);
      }
      case "eci-resource-group-id" -> request.setResourceGroupId(value);
      default -> throw new IllegalStateException("supported annotation without a rule: " + name);
    }
  }

  /** {@code 2-4Gi} sizes the instance; an ECS type (or a list of them) names the instance type. */
  private static void specs(String value, CreateContainerGroupRequest request, Findings findings) {
    String first = value.split(",")[0].trim();
    Matcher m = CORES_MEMORY.matcher(first);
    if (m.matches()) {
      request.setCpu(Float.parseFloat(m.group(1)));
      request.setMemory(Float.parseFloat(m.group(2)));
    } else if (first.startsWith("ecs.")) {
      request.setInstanceType(value.replace(" ", ""));
    } else {
      findings.unsupported(
          "annotation k8s.aliyun.com/eci-use-specs: '"
              + first
              + "' is neither <cores>-<memory>Gi nor an ecs.* type");
    }
  }

  private static Optional<Float> number(String value, String name, Findings findings) {
    try {
      return Optional.of(Float.parseFloat(value));
    } catch (NumberFormatException e) {
      findings.unsupported("annotation k8s.aliyun.com/" + name + " must be a number");
      return Optional.empty();
    }
  }
}
