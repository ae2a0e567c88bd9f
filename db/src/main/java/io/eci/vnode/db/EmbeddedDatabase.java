package io.eci.vnode.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A throwaway PostgreSQL server on a free loopback port, for tests and the local run. Its data
 * directory is deleted on {@link #close()}. Running as root works: the server is started in a user
 * namespace.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /** The superuser and database of the throwaway server. */
  public static final String USER = "postgres";

  private final EmbeddedPostgres server;

  private EmbeddedDatabase(EmbeddedPostgres server) {
    this.server = server;
  }

  /** Starts a new server; fails with the server's own output when it cannot start. */
  public static EmbeddedDatabase start() {
    try {
      return new EmbeddedDatabase(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL server did not start", e);
    }
  }

  /** The JDBC URL of the server's default database, without credentials. */
  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + server.getPort() + "/" + USER;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL server did not stop cleanly", e);
    }
  }
}
