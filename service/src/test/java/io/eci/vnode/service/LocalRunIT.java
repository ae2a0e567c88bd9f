package io.eci.vnode.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eci.vnode.db.EmbeddedDatabase;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local run (no database configured) keeps its state in {@code .vnode/} across restarts. */
class LocalRunIT {

  @TempDir Path workingDirectory;

  @Test
  void aLocalRunKilledWithSigkillRestartsWithItsTenantsAndItsOperatorToken() throws Exception {
    Path state = workingDirectory.resolve(".vnode");
    String tenantId;
    String token;
    try (LocalRunProcess run = new LocalRunProcess(workingDirectory).start()) {
      token = Files.readString(state.resolve("operator-token")).trim();
      assertThat(Files.getPosixFilePermissions(state.resolve("operator-token")))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.getPosixFilePermissions(state.resolve("secrets-key")))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(run.log()).contains(state.resolve("postgres").toString()).contains(token);
      tenantId = createTenant(run, token);

      run.kill();
      assertThat(EmbeddedDatabase.runningOn(state.resolve("postgres")))
          .as("SIGKILL leaves the embedded postgres running for the next start to stop")
          .isPresent();

      run.start();
      assertThat(Files.readString(state.resolve("operator-token")).trim()).isEqualTo(token);
      given()
          .baseUri(run.base().toString())
          .auth()
          .oauth2(token)
          .get("/api/v1/tenants/{id}", tenantId)
          .then()
          .statusCode(200);
    }
  }

  @Test
  void aLocalRunStoppedWithSigtermLeavesNoPostgresRunningOnItsData() throws Exception {
    Path data = workingDirectory.resolve(".vnode").resolve("postgres");
    LocalRunProcess run = new LocalRunProcess(workingDirectory).start();
    ProcessHandle postmaster = EmbeddedDatabase.runningOn(data).orElseThrow();

    run.stop();

    await().atMost(Duration.ofSeconds(30)).until(() -> !postmaster.isAlive());
    assertThat(EmbeddedDatabase.runningOn(data)).isEmpty();
    assertThat(
            ProcessHandle.allProcesses()
                .filter(
                    p ->
                        p.info().commandLine().map(c -> c.contains(data.toString())).orElse(false)))
        .as("no process runs on " + data)
        .isEmpty();
  }

  @Test
  void aLocalRunListensOnLoopbackOnlyAndKeepsItsStateWhereItIsTold() throws Exception {
    Path elsewhere = workingDirectory.resolve("state");
    try (LocalRunProcess run =
        new LocalRunProcess(workingDirectory, "vnode.local-run.data-dir=" + elsewhere).start()) {
      assertThat(Files.isDirectory(elsewhere.resolve("postgres"))).isTrue();
      assertThat(Files.exists(workingDirectory.resolve(".vnode"))).isFalse();
      Optional<InetAddress> external = externalAddress();
      if (external.isPresent()) {
        assertThat(connects(new InetSocketAddress(external.get(), run.port())))
            .as("the local run refuses a connection on " + external.get())
            .isFalse();
      }
      assertThat(connects(new InetSocketAddress("127.0.0.1", run.port()))).isTrue();
      assertThat(run.log()).contains("127.0.0.1:" + run.port());
    }
  }

  private static String createTenant(LocalRunProcess run, String operatorToken) {
    return given()
        .baseUri(run.base().toString())
        .auth()
        .oauth2(operatorToken)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "kept"))
        .post("/api/v1/tenants")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** An address of this machine other than loopback, if it has one. */
  private static Optional<InetAddress> externalAddress() throws Exception {
    return NetworkInterface.networkInterfaces()
        .filter(
            i -> {
              try {
                return i.isUp() && !i.isLoopback();
              } catch (SocketException e) {
                return false;
              }
            })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address)
        .findFirst();
  }

  private static boolean connects(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
