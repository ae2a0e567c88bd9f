package io.eci.vnode.service;

import io.eci.vnode.service.tenant.OperatorConfig;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a local run has started, says where to go and how to get in, so that it is the last thing
 * on the screen rather than lost above the startup log. Silent when the service runs against a real
 * database.
 */
@ApplicationScoped
public class LocalRunSummary {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRunSummary.class);

  private final LocalRunConfig localRun;
  private final OperatorConfig operator;

  LocalRunSummary(LocalRunConfig localRun, OperatorConfig operator) {
    this.localRun = localRun;
    this.operator = operator;
  }

  void onListening(@ObservesAsync HttpServerStart started) {
    if (!localRun.enabled()) {
      return;
    }
    String base = "http://" + started.options().getHost() + ":" + started.options().getPort();
    LOG.info(
        String.format(
            "Local run ready (state kept in %s)%n  API:          %s/api/v1%n"
                + "  Swagger UI:   %s/q/swagger-ui%n  Operator token (creates tenants): %s%s",
            localRun.dataDir().orElse("?"),
            base,
            base,
            operator.token().orElse("<not set>"),
            localRun.operatorTokenFile().map(file -> " (stored in " + file + ")").orElse("")));
  }
}
