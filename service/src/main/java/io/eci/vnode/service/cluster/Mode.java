package io.eci.vnode.service.cluster;

import java.util.Arrays;
import java.util.Optional;

/** Where a cluster's virtual node runs. */
public enum Mode {
  /** Hosted by this service. */
  MANAGED("managed"),
  /** Run by the tenant agent inside the cluster. */
  UNMANAGED("unmanaged");

  private final String wire;

  Mode(String wire) {
    this.wire = wire;
  }

  /** The name used in the API and the database. */
  public String wire() {
    return wire;
  }

  /** The mode with this API name, if any. */
  public static Optional<Mode> fromWire(String value) {
    return Arrays.stream(values()).filter(m -> m.wire.equals(value)).findFirst();
  }
}
