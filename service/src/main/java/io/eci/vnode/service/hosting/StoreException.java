package io.eci.vnode.service.hosting;

/**
 * The hosting state could not be read or written; nothing was changed. Hosting loops retry at their
 * next period.
 */
public final class StoreException extends RuntimeException {

  StoreException(String what, Throwable cause) {
    super(what + ": " + cause.getMessage(), cause);
  }
}
