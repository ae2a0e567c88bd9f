package io.eci.vnode.engine.translate;

import java.util.List;

/**
 * A pod that cannot become an ECI instance, with every reason in words a user can act on. {@link
 * Kind#UNSUPPORTED} is final (the pod fails); {@link Kind#WAITING} may pass later (the pod stays
 * Pending and is tried again), e.g. a ConfigMap that does not exist yet.
 */
public final class TranslationException extends RuntimeException {

  /** Whether waiting can help. */
  public enum Kind {
    UNSUPPORTED,
    WAITING
  }

  private final Kind kind;
  private final List<String> reasons;

  public TranslationException(Kind kind, List<String> reasons) {
    super(String.join("; ", reasons));
    this.kind = kind;
    this.reasons = List.copyOf(reasons);
  }

  public Kind kind() {
    return kind;
  }

  public List<String> reasons() {
    return reasons;
  }

  /** The Kubernetes reason to show on the pod and its Event. */
  public String podReason() {
    return kind == Kind.UNSUPPORTED ? "UnsupportedPodSpec" : "WaitingForReferences";
  }
}
