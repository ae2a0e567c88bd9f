package io.eci.vnode.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An RFC 7807 problem document, the body of every 4xx and 5xx answer of the API.
 *
 * @param type a URI reference naming the kind of problem (documented in docs/api.md)
 * @param title a short summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what went wrong with this request, in words a user can act on
 * @param instance the request path
 * @param requestId the id to quote when asking for help; it is in the service's logs too
 * @param invalidParams the offending fields of a rejected request body or query
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String requestId,
    @JsonProperty("invalid-params") List<InvalidParam> invalidParams) {

  /** The media type of a problem document. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /**
   * One offending field.
   *
   * @param name the field's path in the request, e.g. {@code eci.vSwitchIds[1]}, or a query
   *     parameter
   * @param reason why it was rejected
   */
  public record InvalidParam(String name, String reason) {}
}
