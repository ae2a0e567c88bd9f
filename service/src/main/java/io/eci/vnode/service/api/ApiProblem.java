package io.eci.vnode.service.api;

import io.eci.vnode.service.api.Problem.InvalidParam;
import jakarta.ws.rs.core.Response.Status;
import java.time.Instant;
import java.util.List;

/**
 * A request the API refuses, with everything its problem document needs. Thrown anywhere below a
 * resource; {@link ProblemMapper} turns it into the answer. Carries no secret: details are written
 * for the caller.
 */
public final class ApiProblem extends RuntimeException {

  private final int status;
  private final String type;
  private final String title;
  private final List<InvalidParam> invalidParams;

  private ApiProblem(
      int status, String type, String title, String detail, List<InvalidParam> invalidParams) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.invalidParams = List.copyOf(invalidParams);
  }

  /** A problem of a kind only one part of the API has; its type is documented in docs/api.md. */
  public static ApiProblem of(
      int status, String type, String title, String detail, List<InvalidParam> invalidParams) {
    return new ApiProblem(status, type, title, detail, invalidParams);
  }

  /** 400: the named fields are wrong. */
  public static ApiProblem invalid(List<InvalidParam> params) {
    return new ApiProblem(
        400,
        "/problems/invalid-request",
        "Invalid request",
        params.size() == 1
            ? "The field " + params.get(0).name() + " is invalid: " + params.get(0).reason()
            : params.size() + " fields are invalid; see invalid-params",
        params);
  }

  /** 400: one field is wrong. */
  public static ApiProblem invalid(String field, String reason) {
    return invalid(List.of(new InvalidParam(field, reason)));
  }

  /** 401: no usable credentials were presented. */
  public static ApiProblem unauthorized(String detail) {
    return new ApiProblem(401, "/problems/unauthorized", "Unauthorized", detail, List.of());
  }

  /** 403: the caller is known but may not do this. */
  public static ApiProblem forbidden(String detail) {
    return new ApiProblem(403, "/problems/forbidden", "Forbidden", detail, List.of());
  }

  /** 404: nothing the caller may see has this id. */
  public static ApiProblem notFound(String what, Object id) {
    return new ApiProblem(
        404, "/problems/not-found", "Not found", "No " + what + " with id " + id, List.of());
  }

  /** 409: the request clashes with existing state, at the named field. */
  public static ApiProblem conflict(String field, String detail) {
    return new ApiProblem(
        409, "/problems/conflict", "Conflict", detail, List.of(new InvalidParam(field, detail)));
  }

  /** 409: the cluster is being deregistered, so it can no longer be changed. */
  public static ApiProblem deregistering(Object id, Instant since) {
    return new ApiProblem(
        409,
        "/problems/deregistering",
        "Cluster is being deregistered",
        "Cluster "
            + id
            + " has been deregistering since "
            + since
            + " and can no longer be changed; its status shows the progress, and DELETE with"
            + " ?force=true ends it at once",
        List.of());
  }

  /** 412: the If-Match version is not the current one. */
  public static ApiProblem versionMismatch(long expected, long current) {
    return new ApiProblem(
        412,
        "/problems/version-mismatch",
        "Precondition failed",
        "If-Match names version "
            + expected
            + " but the cluster is at version "
            + current
            + "; GET it again and re-apply your change",
        List.of());
  }

  /** 428: a change to a versioned resource came without If-Match. */
  public static ApiProblem versionRequired() {
    return new ApiProblem(
        428,
        "/problems/version-required",
        "Precondition required",
        "Send If-Match with the ETag from GET so that concurrent changes are not lost",
        List.of());
  }

  /** 413: the body is larger than the API accepts. */
  public static ApiProblem tooLarge(long limit) {
    return new ApiProblem(
        413,
        "/problems/payload-too-large",
        "Payload too large",
        "Request bodies are limited to " + limit + " bytes",
        List.of());
  }

  /** Any other HTTP-level refusal (wrong method, media type...) with its status. */
  public static ApiProblem http(Status status, String detail) {
    return new ApiProblem(
        status.getStatusCode(), "about:blank", status.getReasonPhrase(), detail, List.of());
  }

  public int status() {
    return status;
  }

  /** The problem document for the request at {@code path}. */
  public Problem toProblem(String path, String requestId) {
    return new Problem(
        type,
        title,
        status,
        getMessage(),
        path,
        requestId,
        invalidParams.isEmpty() ? null : invalidParams);
  }
}
