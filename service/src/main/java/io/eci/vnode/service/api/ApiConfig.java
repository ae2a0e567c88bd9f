package io.eci.vnode.service.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the HTTP API. */
@ConfigMapping(prefix = "vnode.api")
public interface ApiConfig {

  /**
   * The largest request body the API reads, in bytes; a larger one is refused with a 413 problem
   * (Quarkus' own {@code quarkus.http.limits.max-body-size} is the hard backstop behind it).
   */
  @WithDefault("262144")
  long maxBodyBytes();
}
