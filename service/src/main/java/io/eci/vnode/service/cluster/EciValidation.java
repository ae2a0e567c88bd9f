package io.eci.vnode.service.cluster;

import io.eci.vnode.service.api.InvalidParams;
import io.eci.vnode.service.cluster.ClusterDraft.Eci;
import io.eci.vnode.service.cluster.ClusterSpec.EciCredentialsSpec;
import io.eci.vnode.service.cluster.ClusterSpec.EciSpec;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code eci} section of a cluster: vSwitches, security group and credentials, checked for
 * {@link ClusterValidator}, whose problems it adds to.
 */
final class EciValidation {

  private static final Pattern VSWITCH = Pattern.compile("vsw-[a-z0-9]{1,64}");
  private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[a-z0-9]{1,64}");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9]{8,128}");
  private static final Pattern RAM_ROLE_ARN =
      Pattern.compile("acs:ram::[0-9]{1,32}:role/[A-Za-z0-9._@-]{1,64}");
  private static final int MAX_VSWITCHES = 10;

  private final InvalidParams invalid;

  EciValidation(InvalidParams invalid) {
    this.invalid = invalid;
  }

  /**
   * The section as it would be stored, fields absent from {@code spec} taken from {@code stored}
   * (null for a registration); null when its credentials cannot be used.
   */
  Eci eci(EciSpec spec, Eci stored) {
    List<String> vSwitchIds =
        spec.vSwitchIds() != null ? spec.vSwitchIds() : stored == null ? null : stored.vSwitchIds();
    String securityGroupId =
        spec.securityGroupId() != null
            ? spec.securityGroupId()
            : stored == null ? null : stored.securityGroupId();
    boolean kubeProxy =
        spec.kubeProxy() != null ? spec.kubeProxy() : stored == null || stored.kubeProxy();
    checkVSwitches(vSwitchIds);
    if (securityGroupId == null) {
      invalid.add("eci.securityGroupId", "is required");
    } else if (!SECURITY_GROUP.matcher(securityGroupId).matches()) {
      invalid.add("eci.securityGroupId", "must look like sg-<lowercase letters and digits>");
    }
    EciCredentialsSpec credentials = spec.credentials();
    if (credentials == null) {
      if (stored == null) {
        invalid.add("eci.credentials", "is required: accessKeyId+accessKeySecret, or ramRoleArn");
        return null;
      }
      return new Eci(
          vSwitchIds,
          securityGroupId,
          kubeProxy,
          stored.credentialType(),
          stored.accessKeyId(),
          null,
          stored.ramRoleArn());
    }
    return withCredentials(vSwitchIds, securityGroupId, kubeProxy, credentials);
  }

  private Eci withCredentials(
      List<String> vSwitchIds, String securityGroupId, boolean kubeProxy, EciCredentialsSpec c) {
    String field = "eci.credentials";
    boolean accessKey = c.accessKeyId() != null || c.accessKeySecret() != null;
    if (accessKey == (c.ramRoleArn() != null)) {
      invalid.add(field, "give exactly one of: accessKeyId+accessKeySecret, ramRoleArn");
      return null;
    }
    if (!accessKey) {
      if (!RAM_ROLE_ARN.matcher(c.ramRoleArn()).matches()) {
        invalid.add(field + ".ramRoleArn", "must look like acs:ram::<account id>:role/<role name>");
      }
      return new Eci(
          vSwitchIds,
          securityGroupId,
          kubeProxy,
          ClusterConfig.RAM_ROLE,
          null,
          null,
          c.ramRoleArn());
    }
    if (c.accessKeyId() == null || !ACCESS_KEY_ID.matcher(c.accessKeyId()).matches()) {
      invalid.add(field + ".accessKeyId", "must be 8-128 letters and digits");
    }
    if (c.accessKeySecret() == null) {
      invalid.add(field + ".accessKeySecret", "is required with accessKeyId");
    } else {
      ClusterValidator.checkSecret(invalid, c.accessKeySecret(), field + ".accessKeySecret");
    }
    return new Eci(
        vSwitchIds,
        securityGroupId,
        kubeProxy,
        ClusterConfig.ACCESS_KEY,
        c.accessKeyId(),
        c.accessKeySecret(),
        null);
  }

  private void checkVSwitches(List<String> ids) {
    if (ids == null || ids.isEmpty()) {
      invalid.add("eci.vSwitchIds", "needs at least one vSwitch id");
      return;
    }
    if (ids.size() > MAX_VSWITCHES) {
      invalid.add("eci.vSwitchIds", "may list at most " + MAX_VSWITCHES + " vSwitches");
    }
    var seen = new HashSet<String>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id == null || !VSWITCH.matcher(id).matches()) {
        invalid.add(
            "eci.vSwitchIds[" + i + "]", "must look like vsw-<lowercase letters and digits>");
      } else if (!seen.add(id)) {
        invalid.add("eci.vSwitchIds[" + i + "]", "repeats " + id);
      }
    }
  }
}
