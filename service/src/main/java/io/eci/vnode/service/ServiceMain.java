package io.eci.vnode.service;

import io.eci.vnode.db.EmbeddedDatabase;
import io.eci.vnode.service.api.HttpRefusals;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the control service. Without a configured database it is a local run: it starts an
 * embedded PostgreSQL whose data lives in a state directory ({@code .vnode/} in the working
 * directory unless {@code vnode.local-run.data-dir} says otherwise), so tenants and clusters
 * survive a restart, and any master key or operator token not configured is generated once and kept
 * there. What the local run sets reaches the service as one configuration source ({@link
 * LocalRunConfigSource}), below anything configured by system property or environment variable.
 */
@QuarkusMain
public final class ServiceMain {

  /** The state directory of a local run unless {@code vnode.local-run.data-dir} is set. */
  static final String DEFAULT_DATA_DIR = ".vnode";

  public static void main(String... args) {
    // Before Quarkus starts: its check of request targets answers an empty 400; HttpRefusals
    // makes the same check first thing and answers with a problem naming the parameter.
    System.setProperty(HttpRefusals.OWN_TARGET_CHECK, "true");
    if (setting("quarkus.datasource.jdbc.url").isEmpty()) {
      LocalRunConfigSource.provide(startLocalRun());
    }
    Quarkus.run(args);
  }

  private static Map<String, String> startLocalRun() {
    Path state =
        Path.of(setting("vnode.local-run.data-dir").orElse(DEFAULT_DATA_DIR)).toAbsolutePath();
    LocalState files = LocalState.in(state);
    Map<String, String> settings = new HashMap<>();
    settings.put("vnode.local-run.enabled", "true");
    settings.put("vnode.local-run.data-dir", state.toString());
    Path data = state.resolve("postgres");
    System.out.println(
        "No quarkus.datasource.jdbc.url: starting an embedded PostgreSQL on " + data + " ...");
    EmbeddedDatabase database = EmbeddedDatabase.startIn(data);
    // Runs on SIGTERM, SIGINT and a normal exit; only SIGKILL skips it, and the next start on this
    // directory stops what it left running.
    Runtime.getRuntime().addShutdownHook(new Thread(database::close, "embedded-postgres-stop"));
    settings.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
    settings.put("quarkus.datasource.username", EmbeddedDatabase.USER);
    System.out.println(
        "Embedded PostgreSQL: " + database.jdbcUrl() + " (data kept in " + data + ")");
    if (setting("vnode.secrets.active-key-id").isEmpty()) {
      settings.put("vnode.secrets.active-key-id", "local");
      settings.put(
          "vnode.secrets.keys.local", files.secret(LocalState.SECRETS_KEY, () -> randomBase64(32)));
      System.out.println("Master key: " + state.resolve(LocalState.SECRETS_KEY));
    }
    if (setting("vnode.operator.token").isEmpty()) {
      settings.put(
          "vnode.operator.token",
          files.secret(LocalState.OPERATOR_TOKEN, () -> "local-operator-" + randomBase64(18)));
      settings.put(
          "vnode.local-run.operator-token-file",
          state.resolve(LocalState.OPERATOR_TOKEN).toString());
    }
    // A local run is for the machine it runs on; quarkus.http.host=0.0.0.0 opens it to others.
    settings.put("quarkus.http.host", "127.0.0.1");
    // A local run is where the sandbox's plain-HTTP API server stand-ins are registered.
    settings.put("vnode.clusters.allow-plain-http-loopback", "true");
    // Readable lines on a terminal rather than production's JSON.
    settings.put("quarkus.log.console.json.enabled", "false");
    System.out.println(
        setting("vnode.eci.endpoint")
            .map(endpoint -> "ECI, VPC and STS calls go to " + endpoint)
            .orElse(
                "ECI, VPC and STS calls go to Alibaba Cloud"
                    + " (VNODE_ECI_ENDPOINT=127.0.0.1:<port> points them at the sandbox)"));
    return settings;
  }

  /**
   * A setting given as a system property or in its environment-variable form, read before Quarkus
   * has its configuration.
   */
  private static Optional<String> setting(String property) {
    String value = System.getProperty(property);
    return Optional.ofNullable(
        value != null ? value : System.getenv(property.toUpperCase().replaceAll("[^A-Z0-9]", "_")));
  }

  private static String randomBase64(int bytes) {
    byte[] raw = new byte[bytes];
    new SecureRandom().nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }
}
