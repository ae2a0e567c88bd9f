package io.eci.vnode.service;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The settings a local run provides ({@link ServiceMain}): the embedded database's address, and a
 * master key and operator token generated for the run. Empty in every other run. It ranks below
 * system properties (400) and environment variables (300), so anything configured there wins, and
 * above {@code application.properties} (250), whose production defaults a local run overrides.
 */
public final class LocalRunConfigSource implements ConfigSource {

  static final int ORDINAL = 275;

  private static final Map<String, String> SETTINGS = new ConcurrentHashMap<>();

  /** Adds the local run's settings; called by {@link ServiceMain} before Quarkus starts. */
  static void provide(Map<String, String> settings) {
    SETTINGS.putAll(settings);
  }

  @Override
  public Map<String, String> getProperties() {
    return Map.copyOf(SETTINGS);
  }

  @Override
  public Set<String> getPropertyNames() {
    return Set.copyOf(SETTINGS.keySet());
  }

  @Override
  public String getValue(String propertyName) {
    return SETTINGS.get(propertyName);
  }

  @Override
  public String getName() {
    return "local run";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
