package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.sandbox.SandboxMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in as {@code java -jar sandbox.jar kube} runs it: a process of its own. */
class KubeCommandIT {

  @TempDir Path workDir;

  @Test
  void standaloneStandInServesUntilStoppedAndWritesAKubeconfig() throws Exception {
    Path kubeconfig = workDir.resolve("kc");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SandboxMain.class.getName(),
                "kube",
                "--port",
                "0",
                "--kubeconfig",
                kubeconfig.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String banner =
          CompletableFuture.supplyAsync(() -> readBanner(out)).get(30, TimeUnit.SECONDS);

      assertThat(banner)
          .contains("for tests and demos only", "kubectl get ns", kubeconfig.toString());
      Matcher url =
          Pattern.compile("listening on\\s+(http://127\\.0\\.0\\.1:\\d+)").matcher(banner);
      assertThat(url.find()).isTrue();
      assertThat(Files.readString(kubeconfig)).contains("server: " + url.group(1));
      HttpResponse<String> version =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url.group(1) + "/version")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(version.body()).contains("\"minor\":\"32\"");
    } finally {
      process.destroy(); // SIGTERM, like Ctrl-C: the shutdown hook stops the server
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void helpPrintsUsage() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SandboxMain.class.getName(),
                "kube",
                "--help")
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    String usage = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isZero();
    assertThat(usage).contains("--port", "--kubeconfig", "for tests and demos only");
  }

  private static String readBanner(BufferedReader out) {
    StringBuilder banner = new StringBuilder();
    try {
      for (String line : (Iterable<String>) out.lines()::iterator) {
        banner.append(line).append('\n');
        if (line.contains("Ctrl-C")) {
          return banner.toString();
        }
      }
    } catch (UncheckedIOException e) {
      // fall through with what was read
    }
    return banner.toString();
  }
}
