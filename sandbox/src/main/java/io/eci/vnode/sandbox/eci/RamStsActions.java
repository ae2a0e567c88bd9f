package io.eci.vnode.sandbox.eci;

import io.eci.vnode.sandbox.eci.Accounts.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RAM and STS actions the service uses to check a tenant's credentials: who am I, which
 * policies do I have, what do they allow, and AssumeRole. RAM and STS answers use wrapped arrays
 * ({@code "Policies":{"Policy":[...]}}), unlike ECI's.
 */
final class RamStsActions {

  private static final Pattern ROLE_ARN =
      Pattern.compile("acs:ram::([0-9]+):role/([A-Za-z0-9._@-]{1,64})");
  private static final String ECI_POLICY_DOCUMENT =
      "{\"Version\":\"1\",\"Statement\":[{\"Action\":\"eci:*\",\"Resource\":\"*\",\"Effect\":\"Allow\"}]}";

  private final Accounts accounts;

  RamStsActions(Accounts accounts) {
    this.accounts = accounts;
  }

  Map<String, Object> handle(String action, RpcRequest r, Principal caller) {
    return switch (action) {
      case "GetUser" -> getUser(r, caller);
      case "ListPoliciesForUser" -> listPolicies(r);
      case "GetPolicyVersion" -> policyVersion(r);
      case "GetCallerIdentity" -> callerIdentity(caller);
      case "AssumeRole" -> assumeRole(r);
      default -> throw RpcError.actionNotFound(action);
    };
  }

  private Map<String, Object> getUser(RpcRequest r, Principal caller) {
    String name = r.optional("UserName").orElse(caller.userName());
    Principal user = accounts.findUser(name).orElseThrow(() -> RpcError.entityNotExist("User"));
    Map<String, Object> u = new LinkedHashMap<>();
    u.put("UserName", user.userName());
    u.put("UserId", userId(user));
    u.put("DisplayName", user.userName());
    u.put("CreateDate", "2026-01-01T00:00:00Z");
    return Map.of("User", u);
  }

  private Map<String, Object> listPolicies(RpcRequest r) {
    Principal user =
        accounts
            .findUser(r.required("UserName"))
            .orElseThrow(() -> RpcError.entityNotExist("User"));
    List<Map<String, Object>> policies =
        user.policies().stream()
            .map(
                p ->
                    Map.<String, Object>of(
                        "PolicyName", p,
                        "PolicyType", "System",
                        "DefaultVersion", "v1",
                        "Description", p,
                        "AttachDate", "2026-01-01T00:00:00Z"))
            .toList();
    return Map.of("Policies", Map.of("Policy", policies));
  }

  private Map<String, Object> policyVersion(RpcRequest r) {
    if (!r.required("PolicyName").equals(Accounts.ECI_FULL_ACCESS)
        || !r.required("VersionId").equals("v1")) {
      throw RpcError.entityNotExist("Policy");
    }
    Map<String, Object> version = new LinkedHashMap<>();
    version.put("VersionId", "v1");
    version.put("IsDefaultVersion", true);
    version.put("PolicyDocument", ECI_POLICY_DOCUMENT);
    version.put("CreateDate", "2026-01-01T00:00:00Z");
    return Map.of("PolicyVersion", version);
  }

  private Map<String, Object> callerIdentity(Principal caller) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("AccountId", Accounts.ACCOUNT_ID);
    identity.put("PrincipalId", userId(caller));
    if (caller.isTemporary()) {
      Matcher m = ROLE_ARN.matcher(caller.roleArn());
      String role = m.matches() ? m.group(2) : "role";
      identity.put("IdentityType", "AssumedRoleUser");
      identity.put(
          "Arn",
          "acs:ram::" + Accounts.ACCOUNT_ID + ":assumed-role/" + role + "/" + caller.userName());
      identity.put("RoleId", "3" + Math.abs(role.hashCode()));
    } else {
      identity.put("IdentityType", "RAMUser");
      identity.put("Arn", "acs:ram::" + Accounts.ACCOUNT_ID + ":user/" + caller.userName());
      identity.put("UserId", userId(caller));
    }
    return identity;
  }

  private Map<String, Object> assumeRole(RpcRequest r) {
    String arn = r.required("RoleArn");
    Matcher m = ROLE_ARN.matcher(arn);
    if (!m.matches()) {
      throw RpcError.invalidParameter("RoleArn", "must look like acs:ram::<account>:role/<name>");
    }
    if (!m.group(1).equals(Accounts.ACCOUNT_ID)) {
      throw RpcError.entityNotExist("Role");
    }
    int seconds = r.integer("DurationSeconds", 3600, 900, 43_200);
    // Credentials expire in real time, the time signatures are checked against, not the sandbox
    // clock.
    Instant now = Instant.now();
    Principal temporary =
        accounts.assumeRole(arn, r.required("RoleSessionName"), Duration.ofSeconds(seconds), now);
    Map<String, Object> credentials = new LinkedHashMap<>();
    credentials.put("AccessKeyId", temporary.accessKeyId());
    credentials.put("AccessKeySecret", temporary.secret());
    credentials.put("SecurityToken", temporary.securityToken());
    credentials.put("Expiration", GroupJson.time(temporary.expiresAt()));
    Map<String, Object> user = new LinkedHashMap<>();
    user.put(
        "Arn",
        "acs:ram::"
            + Accounts.ACCOUNT_ID
            + ":assumed-role/"
            + m.group(2)
            + "/"
            + temporary.userName());
    user.put("AssumedRoleId", "3" + Math.abs(m.group(2).hashCode()) + ":" + temporary.userName());
    return Map.of("Credentials", credentials, "AssumedRoleUser", user);
  }

  private static String userId(Principal p) {
    return "2" + Long.toString(Math.abs((long) p.userName().hashCode()), 10);
  }
}
