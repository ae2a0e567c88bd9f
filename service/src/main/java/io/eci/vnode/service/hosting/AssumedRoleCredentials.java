package io.eci.vnode.service.hosting;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.auth.AlibabaCloudCredentials;
import com.aliyuncs.auth.AlibabaCloudCredentialsProvider;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.sts.model.v20150401.AssumeRoleRequest;
import com.aliyuncs.sts.model.v20150401.AssumeRoleResponse;
import io.eci.vnode.engine.config.EciCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Temporary credentials of a cluster owner's RAM role, obtained by the service's own RAM identity
 * through STS AssumeRole and renewed once a third of their lifetime is left, so a call never goes
 * out with credentials about to expire. The owner's role trusts the service's account; the
 * ExternalId is the tenant's id, so one tenant cannot make the service act in another tenant's role
 * (the confused-deputy check the role's trust policy makes).
 *
 * <p>The SDK's own {@code STSAssumeRoleSessionCredentialsProvider} cannot be pointed at another
 * endpoint (it hard-codes {@code sts.aliyuncs.com} over HTTPS), hence this one.
 */
final class AssumedRoleCredentials implements AlibabaCloudCredentialsProvider {

  static final Duration LIFETIME = Duration.ofHours(1);

  private final IAcsClient sts;
  private final String roleArn;
  private final String sessionName;
  private final String externalId;
  private final Optional<String> endpoint;
  private final Clock clock;
  private BasicSessionCredentials current;
  private Instant renewAt = Instant.MIN;
  private Instant expiresAt = Instant.MIN;

  /**
   * @param service the service's own AccessKey, which the role trusts
   * @param role the owner's role
   * @param sessionName who the calls are recorded as in the owner's ActionTrail
   * @param externalId the tenant's id, which the role's trust policy may require
   * @param endpoint host:port of a plain-HTTP STS stand-in, or empty for Alibaba Cloud's
   */
  AssumedRoleCredentials(
      EciCredentials.AccessKey service,
      EciCredentials.RamRole role,
      String region,
      String sessionName,
      String externalId,
      Optional<String> endpoint,
      Clock clock) {
    this.sts =
        new DefaultAcsClient(DefaultProfile.getProfile(region, service.id(), service.secret()));
    this.roleArn = role.roleArn();
    this.sessionName = sessionName;
    this.externalId = externalId;
    this.endpoint = endpoint;
    this.clock = clock;
  }

  /** The role these credentials are of. */
  String roleArn() {
    return roleArn;
  }

  @Override
  public synchronized AlibabaCloudCredentials getCredentials() throws ClientException {
    Instant now = clock.instant();
    if (current == null || !now.isBefore(renewAt)) {
      AssumeRoleRequest request = new AssumeRoleRequest();
      request.setRoleArn(roleArn);
      request.setRoleSessionName(sessionName);
      request.setExternalId(externalId);
      request.setDurationSeconds(LIFETIME.toSeconds());
      endpoint.ifPresent(
          e -> {
            request.setSysEndpoint(e);
            request.setSysProtocol(ProtocolType.HTTP);
          });
      AssumeRoleResponse.Credentials c = sts.getAcsResponse(request).getCredentials();
      current =
          new BasicSessionCredentials(
              c.getAccessKeyId(), c.getAccessKeySecret(), c.getSecurityToken());
      renewAt = now.plus(LIFETIME.multipliedBy(2).dividedBy(3));
      expiresAt = now.plus(LIFETIME);
    }
    return current;
  }

  /**
   * The current temporary credentials (assumed now if due) and when they expire: for a host that
   * signs elsewhere, the cluster's agent.
   */
  synchronized TemporaryCredentials temporary() throws ClientException {
    BasicSessionCredentials c = (BasicSessionCredentials) getCredentials();
    return new TemporaryCredentials(
        c.getAccessKeyId(), c.getAccessKeySecret(), c.getSessionToken(), expiresAt);
  }
}
