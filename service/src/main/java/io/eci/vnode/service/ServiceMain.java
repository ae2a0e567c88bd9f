package io.eci.vnode.service;

import io.eci.vnode.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the control service. Without a configured database it is a local, throwaway run: it starts
 * an embedded PostgreSQL, and any master key or operator token not configured is generated for this
 * run only and printed, since nothing sealed under it outlives the embedded database. What the
 * local run sets reaches the service as one configuration source ({@link LocalRunConfigSource}),
 * below anything configured by system property or environment variable.
 */
@QuarkusMain
public final class ServiceMain {

  public static void main(String... args) {
    if (setting("quarkus.datasource.jdbc.url").isEmpty()) {
      LocalRunConfigSource.provide(startLocalRun());
    }
    Quarkus.run(args);
  }

  private static Map<String, String> startLocalRun() {
    Map<String, String> settings = new HashMap<>();
    settings.put("vnode.local-run.enabled", "true");
    System.out.println(
        "No quarkus.datasource.jdbc.url: starting a throwaway embedded PostgreSQL...");
    EmbeddedDatabase database = EmbeddedDatabase.start();
    Runtime.getRuntime().addShutdownHook(new Thread(database::close, "embedded-postgres-stop"));
    settings.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
    settings.put("quarkus.datasource.username", EmbeddedDatabase.USER);
    System.out.println("Embedded PostgreSQL: " + database.jdbcUrl() + " (deleted on exit)");
    if (setting("vnode.secrets.active-key-id").isEmpty()) {
      settings.put("vnode.secrets.active-key-id", "local");
      settings.put("vnode.secrets.keys.local", randomBase64(32));
      System.out.println("Master key: generated for this run only");
    }
    if (setting("vnode.operator.token").isEmpty()) {
      String token = "local-operator-" + randomBase64(18);
      settings.put("vnode.operator.token", token);
      System.out.println("Operator token for this run: " + token);
    }
    // A throwaway run is where the sandbox's plain-HTTP API server stand-ins are registered.
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
