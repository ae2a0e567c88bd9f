package io.eci.vnode.service.secrets;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** The master keys that seal cluster credentials at rest. */
@ConfigMapping(prefix = "vnode.secrets")
public interface SecretsConfig {

  /** The id of the key that seals new secrets; it must be one of {@link #keys()}. */
  String activeKeyId();

  /**
   * Every key that may still be needed to open a stored secret, by id: base64 of 32 random bytes
   * (AES-256). Retired keys stay here until every secret sealed with them has been re-sealed.
   */
  Map<String, String> keys();
}
