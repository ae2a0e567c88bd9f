package io.eci.vnode.engine.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything that shapes one cluster's virtual node. An unmanaged install reads it from the
 * environment, with the variable names of the ECI virtual node controller users know; the hosted
 * service builds the same record from a cluster's registration.
 *
 * @param clusterId the id every instance of this cluster is tagged with; instances without it are
 *     never touched
 * @param region the region instances run in
 * @param vSwitchIds the vSwitches (and so zones) to place instances in, in order of preference
 * @param securityGroupId the security group of every instance
 * @param kubeProxy whether instances run kube-proxy so ClusterIP services resolve
 * @param credentials how to call ECI
 * @param quota the node's capacity
 */
public record VirtualNodeConfig(
    String clusterId,
    String region,
    List<String> vSwitchIds,
    String securityGroupId,
    boolean kubeProxy,
    EciCredentials credentials,
    Quota quota) {

  private static final Pattern VSWITCH = Pattern.compile("vsw-[a-z0-9]{1,64}");
  private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[a-z0-9]{1,64}");

  /**
   * The capacity the node reports.
   *
   * @param cpu cores
   * @param memory a Kubernetes quantity, e.g. {@code 4Ti}
   * @param pods how many pods the node takes
   */
  public record Quota(String cpu, String memory, String pods) {
    /** The ECI virtual node controller's defaults. */
    public static Quota defaults() {
      return new Quota("1000", "4Ti", "1000");
    }
  }

  public VirtualNodeConfig {
    vSwitchIds = List.copyOf(vSwitchIds);
  }

  /**
   * Reads the configuration from environment variables: {@code ALIYUN_CLUSTERID}, {@code
   * ECI_REGION}, {@code ECI_VSWITCH} (comma-separated), {@code ECI_SECURITY_GROUP}, {@code
   * ECI_KUBE_PROXY} (default true), {@code ECI_ACCESS_KEY}/{@code ECI_SECRET_KEY}, {@code
   * ECI_QUOTA_CPU}/{@code _MEMORY}/{@code _POD}.
   *
   * @throws InvalidConfigException naming every missing or malformed variable
   */
  public static VirtualNodeConfig fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String clusterId = required(env, "ALIYUN_CLUSTERID", problems);
    String region = required(env, "ECI_REGION", problems);
    List<String> vSwitches =
        Arrays.stream(required(env, "ECI_VSWITCH", problems).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    vSwitches.stream()
        .filter(v -> !VSWITCH.matcher(v).matches())
        .forEach(v -> problems.add("ECI_VSWITCH: '" + v + "' is not a vSwitch id (vsw-...)"));
    String securityGroup = required(env, "ECI_SECURITY_GROUP", problems);
    if (!securityGroup.isEmpty() && !SECURITY_GROUP.matcher(securityGroup).matches()) {
      problems.add(
          "ECI_SECURITY_GROUP: '" + securityGroup + "' is not a security group id (sg-...)");
    }
    boolean kubeProxy = bool(env, "ECI_KUBE_PROXY", true, problems);
    String keyId = required(env, "ECI_ACCESS_KEY", problems);
    String secret = required(env, "ECI_SECRET_KEY", problems);
    Quota defaults = Quota.defaults();
    Quota quota =
        new Quota(
            env.getOrDefault("ECI_QUOTA_CPU", defaults.cpu()),
            env.getOrDefault("ECI_QUOTA_MEMORY", defaults.memory()),
            env.getOrDefault("ECI_QUOTA_POD", defaults.pods()));
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new VirtualNodeConfig(
        clusterId,
        region,
        vSwitches,
        securityGroup,
        kubeProxy,
        new EciCredentials.AccessKey(keyId, secret),
        quota);
  }

  private static String required(Map<String, String> env, String name, List<String> problems) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      problems.add(name + " is required");
      return "";
    }
    return value.trim();
  }

  private static boolean bool(
      Map<String, String> env, String name, boolean fallback, List<String> problems) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return switch (value.trim().toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problems.add(name + ": '" + value + "' is not true or false");
        yield fallback;
      }
    };
  }
}
