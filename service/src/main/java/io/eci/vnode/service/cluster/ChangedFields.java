package io.eci.vnode.service.cluster;

import java.util.ArrayList;
import java.util.List;

/** The fields a change names, by their path in the request: what the audit entry lists. */
final class ChangedFields {

  private ChangedFields() {}

  /** The fields {@code change} sets, in the order of the request's schema. */
  static List<String> of(ClusterSpec change) {
    List<String> fields = new ArrayList<>();
    addIf(fields, change.name(), "name");
    // Refused by the validator (a region is fixed), but it is a field the caller did send.
    addIf(fields, change.region(), "region");
    addIf(fields, change.mode(), "mode");
    addIf(fields, change.paused(), "paused");
    if (change.apiServer() != null) {
      addIf(fields, change.apiServer().url(), "apiServer.url");
      addIf(fields, change.apiServer().caBundle(), "apiServer.caBundle");
      addIf(fields, change.apiServer().credentials(), "apiServer.credentials");
    }
    if (change.eci() != null) {
      addIf(fields, change.eci().vSwitchIds(), "eci.vSwitchIds");
      addIf(fields, change.eci().securityGroupId(), "eci.securityGroupId");
      addIf(fields, change.eci().kubeProxy(), "eci.kubeProxy");
      addIf(fields, change.eci().credentials(), "eci.credentials");
    }
    return fields;
  }

  private static void addIf(List<String> fields, Object value, String field) {
    if (value != null) {
      fields.add(field);
    }
  }
}
