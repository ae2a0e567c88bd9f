package io.eci.vnode.service;

import io.eci.vnode.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Starts the control service. Without a configured database it is a local, throwaway run: it starts
 * an embedded PostgreSQL, and any master key or operator token not configured is generated for this
 * run only and printed, since nothing sealed under it outlives the embedded database.
 */
@QuarkusMain
public final class ServiceMain {

  /** Set by a local run, so the service can say how to use it once started. */
  static final String LOCAL_RUN = "vnode.local-run";

  public static void main(String... args) {
    if (!configured("quarkus.datasource.jdbc.url")) {
      startLocalRun();
    }
    Quarkus.run(args);
  }

  private static void startLocalRun() {
    System.setProperty(LOCAL_RUN, "true");
    System.out.println(
        "No quarkus.datasource.jdbc.url: starting a throwaway embedded PostgreSQL...");
    EmbeddedDatabase database = EmbeddedDatabase.start();
    Runtime.getRuntime().addShutdownHook(new Thread(database::close, "embedded-postgres-stop"));
    System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
    System.setProperty("quarkus.datasource.username", EmbeddedDatabase.USER);
    System.out.println("Embedded PostgreSQL: " + database.jdbcUrl() + " (deleted on exit)");
    if (!configured("vnode.secrets.active-key-id")) {
      System.setProperty("vnode.secrets.active-key-id", "local");
      System.setProperty("vnode.secrets.keys.local", randomBase64(32));
      System.out.println("Master key: generated for this run only");
    }
    if (!configured("vnode.operator.token")) {
      String token = "local-operator-" + randomBase64(18);
      System.setProperty("vnode.operator.token", token);
      System.out.println("Operator token for this run: " + token);
    }
    if (!configured("vnode.clusters.allow-plain-http-loopback")) {
      // A throwaway run is where the sandbox's plain-HTTP API server stand-ins are registered.
      System.setProperty("vnode.clusters.allow-plain-http-loopback", "true");
    }
    System.out.println(
        configured("vnode.eci.endpoint")
            ? "ECI, VPC and STS calls go to " + setting("vnode.eci.endpoint")
            : "ECI, VPC and STS calls go to Alibaba Cloud"
                + " (VNODE_ECI_ENDPOINT=127.0.0.1:<port> points them at the sandbox)");
    if (!configured("quarkus.log.console.json.enabled")) {
      System.setProperty("quarkus.log.console.json.enabled", "false");
    }
  }

  /** Whether a setting is given as a system property or in its environment-variable form. */
  private static boolean configured(String property) {
    String env = property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    return System.getProperty(property) != null || System.getenv(env) != null;
  }

  private static String setting(String property) {
    String value = System.getProperty(property);
    return value != null
        ? value
        : System.getenv(property.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
  }

  private static String randomBase64(int bytes) {
    byte[] raw = new byte[bytes];
    new SecureRandom().nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }
}
