package io.eci.vnode.service.claims;

/**
 * The hosting state could not be read or written; nothing was changed. Hosting loops retry at their
 * next period.
 */
public final class StoreException extends RuntimeException {

  /** A failure of the store while doing {@code what}. */
  public StoreException(String what, Throwable cause) {
    super(what + ": " + cause.getMessage(), cause);
  }
}
