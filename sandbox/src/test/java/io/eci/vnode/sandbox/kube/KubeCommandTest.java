package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KubeCommandTest {

  @Test
  void optionsDefaultToPort16443AndALocalKubeconfig() {
    KubeCommand.Options options = KubeCommand.Options.parse(new String[0]);

    assertThat(options.port()).isEqualTo(16443);
    assertThat(options.kubeconfig()).isEqualTo(Path.of("sandbox-kubeconfig"));
    assertThat(KubeCommand.Options.parse(new String[] {"--port", "0", "--kubeconfig", "x/kc"}))
        .isEqualTo(new KubeCommand.Options(0, Path.of("x/kc")));
    assertThat(KubeCommand.Options.parse(new String[] {"--help"})).isNull();
    assertThatThrownBy(() -> KubeCommand.Options.parse(new String[] {"--port", "http"}))
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> KubeCommand.Options.parse(new String[] {"--bogus"}))
        .hasMessageContaining("unknown option");
  }
}
