package io.eci.vnode.service.webhook;

import io.eci.vnode.engine.selection.AdmissionHandler;
import java.util.Optional;
import java.util.UUID;

/** The admission handlers of the engines this replica runs; hosting provides them. */
public interface Admissions {

  /** The admission handler of the cluster's engine, or empty when this replica does not run it. */
  Optional<AdmissionHandler> of(UUID clusterId);
}
