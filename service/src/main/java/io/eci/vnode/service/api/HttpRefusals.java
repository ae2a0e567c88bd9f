package io.eci.vnode.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response.Status;

/**
 * Refusals that the HTTP layer makes before any resource runs — a body over the limit, a request
 * line it cannot decode, a path no route serves — answered with the same problem documents as the
 * API's own, instead of Vert.x' empty or HTML pages.
 */
@ApplicationScoped
public class HttpRefusals {

  // Before Quarkus' own upload limit (order -2), which would answer an empty 413.
  private static final int BEFORE_UPLOAD_LIMIT = -3;

  private final ApiConfig config;
  private final ObjectMapper json;

  HttpRefusals(ApiConfig config, ObjectMapper json) {
    this.config = config;
    this.json = json;
  }

  void install(@Observes Router router) {
    router.route().order(BEFORE_UPLOAD_LIMIT).handler(this::refuseDeclaredTooLarge);
    router.route().order(Integer.MIN_VALUE).failureHandler(this::describeFailure);
    router.route().last().handler(ctx -> answer(ctx, notFound(ctx)));
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
          case 400 -> ApiProblem.invalid("url", "cannot be decoded; escape '%' as %25");
          default -> ApiProblem.http(Status.fromStatusCode(status), "The request was refused");
        };
    answer(ctx, problem);
  }

  private static ApiProblem notFound(RoutingContext ctx) {
    return ApiProblem.http(Status.NOT_FOUND, "No resource here; the API is under /api/v1");
  }

  private void answer(RoutingContext ctx, ApiProblem problem) {
    String path = ctx.request().path();
    String body;
    try {
      body = json.writeValueAsString(problem.toProblem(path, null));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem document must serialise", e);
    }
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
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
