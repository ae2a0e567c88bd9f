package io.eci.vnode.agent.settings;

/** The agent token the service issued ({@code vna_...}); never printed. */
public record AgentToken(String value) {

  /** The Authorization header value that carries it. */
  public String bearer() {
    return "Bearer " + value;
  }

  @Override
  public String toString() {
    return "AgentToken[redacted]";
  }
}
