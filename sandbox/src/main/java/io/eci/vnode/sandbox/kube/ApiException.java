package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the stand-in refuses, answered as a {@code v1 Status} with the HTTP code and {@code
 * reason} a real API server uses, so clients classify it the same way (fabric8's {@code
 * KubernetesClientException#getCode}, kubectl's error text).
 */
final class ApiException extends RuntimeException {

  private final int code;
  private final String reason;
  private final ResourceType type;
  private final String name;

  private ApiException(int code, String reason, String message, ResourceType type, String name) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.type = type;
    this.name = name;
  }

  static ApiException notFound(ResourceType type, String name) {
    return new ApiException(
        404, "NotFound", type.qualifiedPlural() + " \"" + name + "\" not found", type, name);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "NotFound", message, null, null);
  }

  static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(
        409,
        "AlreadyExists",
        type.qualifiedPlural() + " \"" + name + "\" already exists",
        type,
        name);
  }

  /** The optimistic-concurrency failure: the caller's resourceVersion is not the stored one. */
  static ApiException conflict(ResourceType type, String name) {
    return conflict(
        type,
        name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  static ApiException conflict(ResourceType type, String name, String why) {
    return new ApiException(
        409,
        "Conflict",
        "Operation cannot be fulfilled on " + type.qualifiedPlural() + " \"" + name + "\": " + why,
        type,
        name);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null, null);
  }

  /** 422 about the request's options rather than an object (as PatchOptions validation answers). */
  static ApiException invalid(String message) {
    return new ApiException(422, "Invalid", message, null, null);
  }

  static ApiException invalid(ResourceType type, String name, String message) {
    return new ApiException(
        422, "Invalid", type.kind() + " \"" + name + "\" is invalid: " + message, type, name);
  }

  static ApiException forbidden(ResourceType type, String name, String message) {
    return new ApiException(
        403,
        "Forbidden",
        type.qualifiedPlural() + " \"" + name + "\" is forbidden: " + message,
        type,
        name);
  }

  static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "MethodNotAllowed", message, null, null);
  }

  static ApiException unsupportedMediaType(String contentType) {
    return new ApiException(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format: " + contentType,
        null,
        null);
  }

  int code() {
    return code;
  }

  /** This failure as a {@code v1 Status} object. */
  ObjectNode toStatus() {
    ObjectNode status = Status.failure(code, reason, getMessage());
    if (type != null) {
      ObjectNode details = status.putObject("details");
      if (name != null) {
        details.put("name", name);
      }
      if (!type.group().isEmpty()) {
        details.put("group", type.group());
      }
      details.put("kind", type.plural());
    }
    return status;
  }
}
