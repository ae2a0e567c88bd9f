package io.eci.vnode.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Whether this is a local run, and where it keeps its state. */
@ConfigMapping(prefix = "vnode.local-run")
public interface LocalRunConfig {

  /**
   * Set by the local run itself ({@link LocalRunConfigSource}) when no database was configured, so
   * the service says how to use it once started; never configured by hand.
   */
  @WithDefault("false")
  boolean enabled();

  /**
   * The local run's state directory: the embedded database ({@code postgres/}) and the generated
   * operator token and master key. Read by {@link ServiceMain} before the service starts, so only a
   * system property or the environment ({@code VNODE_LOCAL_RUN_DATA_DIR}) sets it; {@code .vnode}
   * in the working directory by default.
   */
  Optional<String> dataDir();

  /**
   * Where the generated operator token is kept; set by the local run itself when it generated one.
   */
  Optional<String> operatorTokenFile();
}
