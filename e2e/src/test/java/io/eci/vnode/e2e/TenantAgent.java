package io.eci.vnode.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tenant agent of the product's cluster, installed as its chart installs it ({@link
 * AgentInstallation}) and run as a process ({@code tenant-agent/target/quarkus-app}), with an agent
 * token the owner issued through the REST API.
 */
final class TenantAgent {

  /** The agent's replica name (its pod's name in a cluster). */
  static final String REPLICA = "e2e";

  /** How the agent's identities in the ownership Lease start: {@code agent-<replica>/}. */
  static final String HOLDER_PREFIX = "agent-" + REPLICA + "/";

  private TenantAgent() {}

  /** Installs the agent's identity, issues its token and starts it; returns once it is ready. */
  static ServiceProcess start(Product product) {
    Path dir = product.workDir();
    String serviceUrl = product.service().api().toString();
    Path kubeconfig =
        AgentInstallation.install(product, serviceUrl, dir.resolve("agent.kubeconfig"));
    Path tokenFile = write(dir.resolve("agent-token"), issueToken(product));
    int webhook = Product.freePort();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("agent.service-url", serviceUrl);
    settings.put("agent.token-file", tokenFile.toString());
    settings.put("agent.cluster-id", product.clusterId());
    settings.put("agent.namespace", AgentInstallation.NAMESPACE);
    settings.put("agent.replica", REPLICA);
    settings.put("agent.kubeconfig", kubeconfig.toString());
    settings.put("agent.eci.endpoint", product.eci().endpoint());
    settings.put("agent.webhook.port", Integer.toString(webhook));
    // The API server runs on this machine: it calls the agent here, not through a Service.
    settings.put("agent.webhook.url", "https://127.0.0.1:" + webhook);
    return new ServiceProcess(jar(), settings, dir.resolve("agent.log"), Product.freePort())
        .start();
  }

  private static String issueToken(Product product) {
    return product
        .asTenant()
        .body(Map.of("description", "e2e agent"))
        .post("/api/v1/clusters/{id}/agent-tokens", product.clusterId())
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }

  private static Path jar() {
    return Path.of(
            System.getProperty(
                "vnode.e2e.agent-jar",
                Product.projectRoot()
                    .resolve("tenant-agent/target/quarkus-app/quarkus-run.jar")
                    .toString()))
        .toAbsolutePath()
        .normalize();
  }

  private static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
