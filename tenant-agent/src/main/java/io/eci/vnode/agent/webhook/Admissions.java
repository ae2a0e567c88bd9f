package io.eci.vnode.agent.webhook;

import io.eci.vnode.engine.selection.AdmissionHandler;
import java.util.Optional;

/** The admission handler the webhook answers with; the engine's supervisor provides it. */
public interface Admissions {

  /** The running engine's admission handler, or empty while the agent runs no engine. */
  Optional<AdmissionHandler> current();
}
