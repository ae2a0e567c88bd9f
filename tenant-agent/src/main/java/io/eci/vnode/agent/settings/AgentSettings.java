package io.eci.vnode.agent.settings;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent's settings with their defaults resolved: its namespace from the ServiceAccount, its
 * replica name from the host, its token from the mounted file (read at each use, so a rotated
 * Secret takes effect without a restart).
 */
@ApplicationScoped
public class AgentSettings {

  static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private final AgentConfig config;

  AgentSettings(AgentConfig config) {
    this.config = config;
  }

  /** The settings the agent cannot run without, by name, with why each is unusable. */
  public List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (config.serviceUrl().isEmpty()) {
      missing.add("agent.service-url");
    }
    if (config.clusterId().isEmpty()) {
      missing.add("agent.cluster-id");
    }
    if (config.tokenFile().isEmpty()) {
      missing.add("agent.token-file");
    } else if (token().isEmpty()) {
      missing.add("agent.token-file (" + config.tokenFile().get() + " is unreadable or empty)");
    }
    return missing;
  }

  public AgentConfig config() {
    return config;
  }

  public URI serviceUrl() {
    return config.serviceUrl().orElseThrow();
  }

  public String clusterId() {
    return config.clusterId().orElseThrow();
  }

  /** The token as the file holds it now, if it can be read. */
  public Optional<AgentToken> token() {
    try {
      String value = Files.readString(config.tokenFile().orElseThrow()).trim();
      return value.isEmpty() ? Optional.empty() : Optional.of(new AgentToken(value));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The agent's namespace: the setting, else the ServiceAccount's, else {@code kube-system}. */
  public String namespace() {
    return config.namespace().or(AgentSettings::serviceAccountNamespace).orElse("kube-system");
  }

  /** The namespace of the Service in front of the webhook. */
  public String webhookNamespace() {
    return config.webhook().serviceNamespace().orElseGet(this::namespace);
  }

  /** This replica's name: the setting, else the host name (a pod's host name is its name). */
  public String replica() {
    return config.replica().orElseGet(AgentSettings::hostName);
  }

  private static Optional<String> serviceAccountNamespace() {
    try {
      return Optional.of(Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim())
          .filter(s -> !s.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "agent";
    }
  }
}
