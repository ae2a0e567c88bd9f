package io.eci.vnode.sandbox.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void missingBinariesNameWhatIsMissingAndTheInstaller() throws Exception {
    int exit = run("--bin", dir.resolve("nothing-here").toString(), "--dir", dir.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("missing: etcd, kube-apiserver, kube-scheduler, kube-controller-manager")
        .contains("sandbox/control-plane/install.sh");
  }

  @Test
  void anUnknownOptionPrintsTheUsage() throws Exception {
    assertThat(run("--nope")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown option '--nope'")
        .contains("usage: java -jar sandbox.jar control-plane");
  }

  @Test
  void theKubeconfigGoesIntoTheDirectoryUnlessNamed() {
    assertThat(ControlPlaneCommand.Options.parse(new String[] {"--dir", "x"}).kubeconfig())
        .isEqualTo(Path.of("x", "admin.kubeconfig"));
    assertThat(ControlPlaneCommand.Options.parse(new String[] {"--kubeconfig", "k"}).kubeconfig())
        .isEqualTo(Path.of("k"));
  }

  private int run(String... args) throws Exception {
    return ControlPlaneCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
