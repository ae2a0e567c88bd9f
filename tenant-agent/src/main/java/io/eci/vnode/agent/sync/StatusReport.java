package io.eci.vnode.agent.sync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * What the agent reports with each heartbeat ({@code PUT /agent/v1/status}).
 *
 * @param holder who the agent's engine is in the ownership Lease
 * @param owner who holds the ownership Lease now, or null
 * @param lastError the last failure of the engine or the agent, or null
 * @param leaseAcquiredAt when the Lease's current holder acquired it, if it is the agent's
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StatusReport(
    String agentVersion,
    String holder,
    String owner,
    String nodeName,
    boolean nodeReady,
    Map<String, Long> podsByPhase,
    LastError lastError,
    String leaseAcquiredAt,
    Long configVersion) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A failure and when it happened (ISO-8601). */
  public record LastError(String message, String at) {}

  /** The report as the service reads it. */
  public String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
