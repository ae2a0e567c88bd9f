package io.eci.vnode.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response.Status;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refusals that the HTTP layer makes before any resource runs — a body over the limit, a request
 * line it cannot decode, a path no route serves — answered with the same problem documents as the
 * API's own, instead of Vert.x' empty or HTML pages.
 *
 * <p>Quarkus checks each request target before any route and answers a malformed one (say {@code
 * ?pageToken=%%%}) with an empty 400 of its own, unless the JVM runs with {@value
 * #OWN_TARGET_CHECK}=true. The service sets that ({@code ServiceMain}, and the test JVMs) because
 * the first route here makes the same check and answers it with a problem naming the parameter;
 * without the property the service still refuses such targets, with Quarkus' empty 400.
 */
@ApplicationScoped
public class HttpRefusals {

  /** The JVM system property that hands the request-target check from Quarkus to this class. */
  public static final String OWN_TARGET_CHECK = "vertx.disableURIValidation";

  private static final Logger LOG = LoggerFactory.getLogger("io.eci.vnode.service.access");

  // Before Quarkus' own upload limit (order -2), which would answer an empty 413.
  private static final int BEFORE_UPLOAD_LIMIT = -3;

  private final ApiConfig config;
  private final ObjectMapper json;

  HttpRefusals(ApiConfig config, ObjectMapper json) {
    this.config = config;
    this.json = json;
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::refuseMalformedTarget);
    router.route().order(BEFORE_UPLOAD_LIMIT).handler(this::refuseDeclaredTooLarge);
    router.route().order(Integer.MIN_VALUE).failureHandler(this::describeFailure);
    router.route().last().handler(ctx -> answer(ctx, notFound(ctx)));
    // Vert.x' own answer when it cannot decode a target while routing; the check above makes it
    // rare, this makes it a problem too.
    router.errorHandler(400, ctx -> answer(ctx, malformedUrl()));
  }

  private void refuseMalformedTarget(RoutingContext ctx) {
    Optional<ApiProblem> refusal = RequestTargets.refusal(ctx.request().uri());
    if (refusal.isPresent()) {
      answer(ctx, refusal.get());
      return;
    }
    ctx.next();
  }

  private void refuseDeclaredTooLarge(RoutingContext ctx) {
    String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    long limit = config.maxBodyBytes();
    if (declared != null && length(declared) > limit) {
      // The rest of the body is not read: close the connection rather than drain it.
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      answer(ctx, ApiProblem.tooLarge(limit));
      return;
    }
    ctx.next();
  }

  private void describeFailure(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (ctx.response().headWritten() || status < 400 || status >= 500) {
      ctx.next();
      return;
    }
    ApiProblem problem =
        switch (status) {
          case 413 -> ApiProblem.tooLarge(config.maxBodyBytes());
          case 404 -> notFound(ctx);
          case 400 -> malformedUrl();
          default -> ApiProblem.http(Status.fromStatusCode(status), "The request was refused");
        };
    answer(ctx, problem);
  }

  private static ApiProblem malformedUrl() {
    return ApiProblem.invalid("url", "cannot be decoded; escape '%' as %25");
  }

  private static ApiProblem notFound(RoutingContext ctx) {
    return ApiProblem.http(Status.NOT_FOUND, "No resource here; the API is under /api/v1");
  }

  private void answer(RoutingContext ctx, ApiProblem problem) {
    // The raw path, undecoded: it may be the very thing that cannot be decoded.
    String path = ctx.request().path();
    String requestId = RequestIds.idFor(ctx.request().getHeader(RequestIds.HEADER));
    String body;
    try {
      body = json.writeValueAsString(problem.toProblem(path, requestId));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem document must serialise", e);
    }
    LOG.info(
        "{} {} -> {} (refused by the HTTP layer)", ctx.request().method(), path, problem.status());
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader(RequestIds.HEADER, requestId)
        .end(body);
  }

  private static long length(String declared) {
    try {
      return Long.parseLong(declared.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
