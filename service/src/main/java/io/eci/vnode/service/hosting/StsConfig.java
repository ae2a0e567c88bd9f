package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.config.EciCredentials;
import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The service's own RAM identity, with which it assumes the RAM roles clusters register. */
@ConfigMapping(prefix = "vnode.sts")
public interface StsConfig {

  /** The AccessKey id of the service's RAM user; without it no RAM role can be assumed. */
  Optional<String> accessKeyId();

  /** The secret of that AccessKey. */
  Optional<String> accessKeySecret();

  /** The identity, when both halves of its AccessKey are configured. */
  default Optional<EciCredentials.AccessKey> identity() {
    return accessKeyId()
        .flatMap(id -> accessKeySecret().map(secret -> new EciCredentials.AccessKey(id, secret)));
  }
}
