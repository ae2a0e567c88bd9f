package io.eci.vnode.agent.configuration;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration the service gives the agent ({@code GET /agent/v1/config}), as it is on the
 * wire; fields it does not know are ignored so a newer service can add some.
 *
 * @param version the registration's version: a new engine term for each
 * @param mode {@code managed} (the service runs the virtual node) or {@code unmanaged} (the agent)
 * @param paused whether nobody runs it for now
 * @param statusPeriodMillis how often the engine reads its instances' status
 * @param heartbeatSeconds how often the agent reports its status
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RemoteConfig(
    String clusterId,
    long version,
    String mode,
    boolean paused,
    String region,
    List<String> vSwitchIds,
    String securityGroupId,
    boolean kubeProxy,
    Eci eci,
    Long statusPeriodMillis,
    Integer heartbeatSeconds) {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public static final String UNMANAGED = "unmanaged";

  /** ECI settings; absent credentials mean the cluster's own Secret holds them. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Eci(Credentials credentials) {}

  /**
   * ECI credentials as the service hands them out.
   *
   * @param type {@code accessKey}, {@code sts} or {@code clusterSecret}
   * @param expiresAt when STS credentials expire (ISO-8601), else null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Credentials(
      String type,
      String accessKeyId,
      String accessKeySecret,
      String securityToken,
      String expiresAt) {

    public static final String ACCESS_KEY = "accessKey";
    public static final String STS = "sts";
    public static final String CLUSTER_SECRET = "clusterSecret";

    @Override
    public String toString() {
      return "Credentials[" + type + ", " + accessKeyId + "]";
    }
  }

  public RemoteConfig {
    vSwitchIds = vSwitchIds == null ? List.of() : List.copyOf(vSwitchIds);
  }

  /**
   * Reads the service's JSON answer.
   *
   * @throws IllegalArgumentException naming what is missing or unreadable
   */
  public static RemoteConfig parse(String json) {
    RemoteConfig config;
    try {
      config = JSON.readValue(json, RemoteConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the configuration is not readable JSON: " + e.getOriginalMessage(), e);
    }
    if (config == null || config.clusterId() == null || config.mode() == null) {
      throw new IllegalArgumentException("the configuration has no clusterId or mode");
    }
    if (config.runsEngine()
        && (config.region() == null
            || config.vSwitchIds().isEmpty()
            || config.securityGroupId() == null)) {
      throw new IllegalArgumentException(
          "an unmanaged configuration needs region, vSwitchIds and securityGroupId");
    }
    return config;
  }

  /** Whether the agent runs the virtual node under this configuration. */
  public boolean runsEngine() {
    return UNMANAGED.equals(mode) && !paused;
  }

  /** Where the credentials come from; a configuration without any means the cluster's Secret. */
  public Optional<Credentials> credentials() {
    return Optional.ofNullable(eci).map(Eci::credentials);
  }

  /**
   * What shapes an engine apart from its credentials' values: a change of any restarts it, while
   * new credentials of the same kind are swapped in under the running one.
   */
  public record EngineShape(
      String clusterId,
      String region,
      List<String> vSwitchIds,
      String securityGroupId,
      boolean kubeProxy,
      Optional<String> credentialsType,
      Long statusPeriodMillis) {}

  public EngineShape shape() {
    return new EngineShape(
        clusterId,
        region,
        vSwitchIds,
        securityGroupId,
        kubeProxy,
        credentials().map(Credentials::type),
        statusPeriodMillis);
  }

  /** The heartbeat period, 10 s when the service does not say. */
  public int heartbeatSecondsOrDefault() {
    return heartbeatSeconds == null || heartbeatSeconds <= 0 ? 10 : heartbeatSeconds;
  }

  /** The status period, 500 ms when the service does not say. */
  public long statusPeriodMillisOrDefault() {
    return statusPeriodMillis == null || statusPeriodMillis <= 0 ? 500 : statusPeriodMillis;
  }

  @Override
  public String toString() {
    return "RemoteConfig[cluster "
        + clusterId
        + " v"
        + version
        + " "
        + mode
        + (paused ? " paused" : "")
        + ", "
        + Objects.toString(region)
        + "]";
  }
}
