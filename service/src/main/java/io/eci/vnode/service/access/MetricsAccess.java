package io.eci.vnode.service.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eci.vnode.service.api.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Lets only the operator token or the scrape token ({@link MetricsConfig}) read {@code /q/metrics}:
 * its series are tagged by tenant and cluster id, which no anonymous caller may list. The metrics
 * are a Vert.x route, not an API resource, so {@link Authenticator} never sees them; this filter
 * runs before the route.
 */
@ApplicationScoped
public class MetricsAccess {

  private static final String PATH = "/q/metrics";
  private static final String BEARER = "Bearer ";
  // Before the metrics route, after nothing that would answer first.
  private static final int PRIORITY = 100;

  private final Tokens tokens;
  private final Optional<byte[]> scrapeToken;
  private final ObjectMapper json;

  MetricsAccess(Tokens tokens, MetricsConfig config, ObjectMapper json) {
    this.tokens = tokens;
    this.scrapeToken = config.scrapeToken().map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.json = json;
  }

  void register(@Observes Filters filters) {
    filters.register(this::check, PRIORITY);
  }

  private void check(RoutingContext request) {
    String path = request.normalizedPath();
    if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
      request.next();
      return;
    }
    String header = request.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      refuse(request, path, "Send Authorization: Bearer <operator or scrape token>");
      return;
    }
    String token = header.substring(BEARER.length()).trim();
    if (isScrapeToken(token) || tokens.isOperatorToken(token)) {
      request.next();
    } else {
      refuse(request, path, "The token is neither the operator token nor the scrape token");
    }
  }

  private boolean isScrapeToken(String token) {
    return scrapeToken
        .map(expected -> MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }

  private void refuse(RoutingContext request, String path, String detail) {
    Problem problem =
        new Problem("/problems/unauthorized", "Unauthorized", 401, detail, path, null, null);
    String body;
    try {
      body = json.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem document did not serialise", e);
    }
    request
        .response()
        .setStatusCode(401)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader("WWW-Authenticate", "Bearer")
        .end(body);
  }
}
