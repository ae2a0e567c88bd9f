package io.eci.vnode.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL server on a free loopback port, for tests and the local run: either throwaway (its
 * data directory is deleted on {@link #close()}) or kept in a given data directory across runs.
 * Running as root works: the server is started in a user namespace.
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

  /**
   * Starts a server on {@code dataDirectory}, creating the database there the first time and using
   * what is there afterwards; {@link #close()} stops the server and keeps the directory. A server
   * left running on that directory by a process that was killed (its {@code postmaster.pid} names a
   * live process) is stopped first, and a stale {@code postmaster.pid} removed, so the directory is
   * always started by this process rather than refused or replaced.
   */
  public static EmbeddedDatabase startIn(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
      stopLeftOver(dataDirectory);
      return new EmbeddedDatabase(
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the embedded PostgreSQL server did not start on " + dataDirectory, e);
    }
  }

  /**
   * The process of a server running on {@code dataDirectory}, as its {@code postmaster.pid} names
   * it, if that process is alive.
   */
  public static Optional<ProcessHandle> runningOn(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
      return Optional.empty();
    }
    // A pid reused by an unrelated process after a reboot is not the postmaster: it must run
    // postgres, on this directory.
    return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(line -> line.contains("postgres"))
                    .orElse(p.info().command().map(c -> c.contains("postgres")).orElse(true)));
  }

  private static void stopLeftOver(Path dataDirectory) throws IOException {
    Optional<ProcessHandle> leftOver = runningOn(dataDirectory);
    if (leftOver.isPresent()) {
      ProcessHandle postmaster = leftOver.get();
      // SIGTERM: a smart shutdown, immediate since its clients died with the process that started
      // it; SIGKILL only if it does not end, and PostgreSQL recovers from its WAL on the next
      // start.
      postmaster.destroy();
      if (!awaitExit(postmaster, 30)) {
        postmaster.destroyForcibly();
        if (!awaitExit(postmaster, 10)) {
          throw new IOException(
              "a PostgreSQL server (pid " + postmaster.pid() + ") still runs on " + dataDirectory);
        }
      }
    }
    // With no live postmaster, a pid file left by a kill is stale; PostgreSQL would refuse it if
    // its pid now belonged to another process.
    Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
  }

  private static boolean awaitExit(ProcessHandle process, long seconds) {
    try {
      process.onExit().get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
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
