package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One HTTP response, independent of the server framework.
 *
 * @param code the HTTP status code
 * @param contentType the Content-Type
 * @param body the body text
 */
record ApiResponse(int code, String contentType, String body) {

  static ApiResponse json(int code, JsonNode body) {
    return new ApiResponse(code, "application/json", Json.write(body));
  }

  static ApiResponse text(int code, String body) {
    return new ApiResponse(code, "text/plain; charset=utf-8", body);
  }
}
