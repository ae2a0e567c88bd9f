package io.eci.vnode.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Whether this is a local, throwaway run. */
@ConfigMapping(prefix = "vnode.local-run")
public interface LocalRunConfig {

  /**
   * Set by the local run itself ({@link LocalRunConfigSource}) when no database was configured, so
   * the service says how to use it once started; never configured by hand.
   */
  @WithDefault("false")
  boolean enabled();
}
