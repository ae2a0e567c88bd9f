package io.eci.vnode.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * After a local run has started, says where to go and how to get in, so that it is the last thing
 * on the screen rather than lost above the startup log. Silent when the service runs against a real
 * database.
 */
@ApplicationScoped
public class LocalRunSummary {

  private static final Logger LOG = Logger.getLogger(LocalRunSummary.class);

  private final boolean localRun;
  private final int port;
  private final Optional<String> operatorToken;

  LocalRunSummary(
      @ConfigProperty(name = ServiceMain.LOCAL_RUN, defaultValue = "false") boolean localRun,
      @ConfigProperty(name = "quarkus.http.port") int port,
      @ConfigProperty(name = "vnode.operator.token") Optional<String> operatorToken) {
    this.localRun = localRun;
    this.port = port;
    this.operatorToken = operatorToken;
  }

  void onStart(@Observes StartupEvent started) {
    if (!localRun) {
      return;
    }
    String base = "http://localhost:" + port;
    LOG.infof(
        "Local run ready (data is thrown away on exit)%n  API:          %s/api/v1%n  Swagger UI:   %s/q/swagger-ui%n"
            + "  Operator token (creates tenants): %s",
        base, base, operatorToken.orElse("<not set>"));
  }
}
