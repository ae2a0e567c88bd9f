package io.eci.vnode.sandbox.eci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.auth.StaticCredentialsProvider;
import com.aliyuncs.eci.model.v20180808.DescribeContainerGroupsRequest;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.ram.model.v20150501.GetPolicyVersionRequest;
import com.aliyuncs.ram.model.v20150501.GetUserRequest;
import com.aliyuncs.ram.model.v20150501.ListPoliciesForUserRequest;
import com.aliyuncs.sts.model.v20150401.AssumeRoleRequest;
import com.aliyuncs.sts.model.v20150401.AssumeRoleResponse;
import com.aliyuncs.sts.model.v20150401.GetCallerIdentityRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The credential checks the service makes, answered for real. */
class RamStsIT {

  private EciSandbox sandbox;
  private Sdk sdk;

  @BeforeEach
  void startSandbox() {
    sandbox =
        EciSandbox.builder()
            .accessKey("LTAIram", "ram-secret", "eci-operator", List.of(Accounts.ECI_FULL_ACCESS))
            .accessKey("LTAInone", "none-secret", "no-rights", List.of())
            .start();
    sdk = new Sdk(sandbox, "LTAIram", "ram-secret");
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  @Test
  void tellsACallerWhoItIs() throws Exception {
    var identity = sdk.call(new GetCallerIdentityRequest());
    assertThat(identity.getAccountId()).isEqualTo(Accounts.ACCOUNT_ID);
    assertThat(identity.getArn())
        .isEqualTo("acs:ram::" + Accounts.ACCOUNT_ID + ":user/eci-operator");
    assertThat(identity.getIdentityType()).isEqualTo("RAMUser");
  }

  @Test
  void listsAUsersPoliciesAndWhatTheyAllow() throws Exception {
    GetUserRequest getUser = new GetUserRequest();
    getUser.setUserName("eci-operator");
    assertThat(sdk.call(getUser).getUser().getUserName()).isEqualTo("eci-operator");

    ListPoliciesForUserRequest policies = new ListPoliciesForUserRequest();
    policies.setUserName("eci-operator");
    var listed = sdk.call(policies).getPolicies();
    assertThat(listed)
        .singleElement()
        .satisfies(p -> assertThat(p.getPolicyName()).isEqualTo("AliyunECIFullAccess"));

    GetPolicyVersionRequest version = new GetPolicyVersionRequest();
    version.setPolicyName("AliyunECIFullAccess");
    version.setPolicyType("System");
    version.setVersionId("v1");
    assertThat(sdk.call(version).getPolicyVersion().getPolicyDocument()).contains("eci:*");

    policies.setUserName("no-rights");
    assertThat(sdk.call(policies).getPolicies()).isEmpty();
  }

  @Test
  void anUnknownUserDoesNotExist() {
    GetUserRequest getUser = new GetUserRequest();
    getUser.setUserName("ghost");
    assertThatThrownBy(() -> sdk.call(getUser))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("EntityNotExist.User"));
  }

  @Test
  void assumedRoleCredentialsCallEciWithTheirSecurityToken() throws Exception {
    AssumeRoleRequest assume = new AssumeRoleRequest();
    assume.setRoleArn("acs:ram::" + Accounts.ACCOUNT_ID + ":role/eci-virtual-node");
    assume.setRoleSessionName("vnode-cluster-1");
    AssumeRoleResponse.Credentials credentials = sdk.call(assume).getCredentials();
    assertThat(credentials.getAccessKeyId()).startsWith("STS.");

    DefaultAcsClient roleClient =
        new DefaultAcsClient(
            DefaultProfile.getProfile(sandbox.region()),
            new StaticCredentialsProvider(
                new BasicSessionCredentials(
                    credentials.getAccessKeyId(),
                    credentials.getAccessKeySecret(),
                    credentials.getSecurityToken())));
    Sdk asRole = new Sdk(sandbox, roleClient);
    assertThat(asRole.call(new DescribeContainerGroupsRequest()).getContainerGroups()).isEmpty();
    assertThat(asRole.call(new GetCallerIdentityRequest()).getArn())
        .endsWith(":assumed-role/eci-virtual-node/vnode-cluster-1");

    DefaultAcsClient forged =
        new DefaultAcsClient(
            DefaultProfile.getProfile(sandbox.region()),
            new StaticCredentialsProvider(
                new BasicSessionCredentials(
                    credentials.getAccessKeyId(),
                    credentials.getAccessKeySecret(),
                    "forged-token")));
    assertThatThrownBy(() -> new Sdk(sandbox, forged).call(new DescribeContainerGroupsRequest()))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("InvalidSecurityToken.Expired"));
  }

  @Test
  void aRoleOfAnotherAccountCannotBeAssumed() {
    AssumeRoleRequest assume = new AssumeRoleRequest();
    assume.setRoleArn("acs:ram::999:role/elsewhere");
    assume.setRoleSessionName("s");
    assertThatThrownBy(() -> sdk.call(assume))
        .isInstanceOfSatisfying(
            ClientException.class,
            e -> assertThat(e.getErrCode()).isEqualTo("EntityNotExist.Role"));
  }
}
