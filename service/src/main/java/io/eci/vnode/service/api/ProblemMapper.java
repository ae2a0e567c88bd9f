package io.eci.vnode.service.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;
import java.util.Collection;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become answers: every refusal is an RFC 7807 document, and bad input
 * is never a 500. Messages of parser exceptions are not echoed because they quote the request body,
 * which may hold secrets; the field path and the expected type are enough to act on.
 */
public class ProblemMapper {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemMapper.class);

  private final AllowedMethods allowedMethods;

  ProblemMapper(AllowedMethods allowedMethods) {
    this.allowedMethods = allowedMethods;
  }

  @ServerExceptionMapper
  public Response apiProblem(ApiProblem problem, UriInfo uri) {
    Response.ResponseBuilder answer =
        Response.status(problem.status())
            .type(Problem.MEDIA_TYPE)
            .entity(
                problem.toProblem(
                    "/" + uri.getPath().replaceFirst("^/", ""), RequestIds.current()));
    if (problem.status() == 401) {
      answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    return answer.build();
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
    String known =
        e.getKnownPropertyIds() == null
            ? ""
            : "; known fields here: "
                + e.getKnownPropertyIds().stream()
                    .map(Object::toString)
                    .sorted()
                    .collect(Collectors.joining(", "));
    return apiProblem(ApiProblem.invalid(path(e), "unknown field" + known), uri);
  }

  @ServerExceptionMapper
  public Response wrongValue(InvalidFormatException e, UriInfo uri) {
    return apiProblem(ApiProblem.invalid(path(e), "must be " + expected(e.getTargetType())), uri);
  }

  @ServerExceptionMapper
  public Response wrongShape(MismatchedInputException e, UriInfo uri) {
    return apiProblem(ApiProblem.invalid(path(e), "must be " + expected(e.getTargetType())), uri);
  }

  @ServerExceptionMapper
  public Response malformedJson(JsonParseException e, UriInfo uri) {
    var at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return apiProblem(ApiProblem.invalid("body", "is not well-formed JSON" + where), uri);
  }

  @ServerExceptionMapper
  public Response otherJson(JsonProcessingException e, UriInfo uri) {
    String field = e instanceof JsonMappingException m ? path(m) : "body";
    return apiProblem(
        ApiProblem.invalid(field, "cannot be read as JSON of the expected shape"), uri);
  }

  @ServerExceptionMapper
  public Response staleWrite(OptimisticLockException e, UriInfo uri) {
    return apiProblem(
        ApiProblem.http(
            Status.PRECONDITION_FAILED,
            "The resource changed while this request was applied; GET it again and retry"),
        uri);
  }

  @ServerExceptionMapper
  public Response unsupportedMediaType(NotSupportedException e, UriInfo uri, HttpHeaders headers) {
    return apiProblem(
        ApiProblem.http(
            Status.UNSUPPORTED_MEDIA_TYPE,
            "Content-Type '"
                + headers.getHeaderString(HttpHeaders.CONTENT_TYPE)
                + "' is not accepted here; send application/json"),
        uri);
  }

  @ServerExceptionMapper
  public Response methodNotAllowed(NotAllowedException e, UriInfo uri) {
    String allowed = String.join(", ", allowedMethods.at(uri.getPath()));
    return Response.fromResponse(
            apiProblem(
                ApiProblem.http(Status.METHOD_NOT_ALLOWED, "Allowed methods here: " + allowed),
                uri))
        .header(HttpHeaders.ALLOW, allowed)
        .build();
  }

  @ServerExceptionMapper
  public Response http(WebApplicationException e, UriInfo uri) {
    // A parameter that StrictParams could not read: the REST layer wraps its refusal.
    if (e.getCause() instanceof ApiProblem problem) {
      return apiProblem(problem, uri);
    }
    // The JSON reader wraps parse failures in a plain 400; answer them like any other bad body.
    if (e.getCause() instanceof JsonParseException parse) {
      return malformedJson(parse, uri);
    }
    if (e.getCause() instanceof JsonProcessingException json) {
      return otherJson(json, uri);
    }
    Status status = Status.fromStatusCode(e.getResponse().getStatus());
    if (status == null) {
      status = Status.BAD_REQUEST;
    }
    if (status.getFamily() == Status.Family.SERVER_ERROR) {
      LOG.error("request failed", e);
    }
    return apiProblem(ApiProblem.http(status, status.getReasonPhrase()), uri);
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e, UriInfo uri) {
    LOG.error("request failed unexpectedly", e);
    return apiProblem(
        ApiProblem.http(
            Status.INTERNAL_SERVER_ERROR,
            "The service failed to handle this request; quote the requestId when reporting it"),
        uri);
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }
}
