package io.eci.vnode.service.access;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Who may read {@code /q/metrics}: the operator, and whoever holds the scrape token. */
@ConfigMapping(prefix = "vnode.metrics")
public interface MetricsConfig {

  /**
   * A bearer token that reads {@code /q/metrics} and nothing else, for Prometheus (its {@code
   * bearer_token}). Without it only the operator token reads the metrics.
   */
  Optional<String> scrapeToken();
}
