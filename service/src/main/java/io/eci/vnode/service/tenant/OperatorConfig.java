package io.eci.vnode.service.tenant;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** How the service operator authenticates. */
@ConfigMapping(prefix = "vnode.operator")
public interface OperatorConfig {

  /**
   * The bootstrap token that creates tenants and issues their tokens. Without it, tenant
   * administration is closed (every call to it gets 401).
   */
  Optional<String> token();
}
