package io.eci.vnode.service.checks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the registration checks call the cluster's API server and the cloud. */
@ConfigMapping(prefix = "vnode.clusters.checks")
public interface ChecksConfig {

  /**
   * How long one check may take (the API server's identity and permissions; the ECI credentials;
   * the vSwitches and the security group) before it counts as not answered. The checks run at once,
   * so a registration waits at most about twice this.
   */
  @WithDefault("8s")
  Duration timeout();
}
