package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builders for {@code meta/v1 Status} documents. */
final class Status {

  private Status() {}

  static ObjectNode success(int code) {
    ObjectNode status = base();
    status.put("status", "Success");
    status.put("code", code);
    return status;
  }

  static ObjectNode failure(int code, String reason, String message) {
    ObjectNode status = base();
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return status;
  }

  private static ObjectNode base() {
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    return status;
  }
}
