package io.eci.vnode.engine.eci;

/**
 * A failed ECI call, classified by ECI's error code (never by message text) into what the caller
 * should do: retry later, try another zone, or tell the user.
 */
public final class EciException extends RuntimeException {

  /** What kind of failure it is. */
  public enum Kind {
    /** The zone has no stock: try another vSwitch's zone. */
    NO_STOCK,
    /** Flow control: retry after a back-off. */
    THROTTLED,
    /** A 5xx or a network failure: retry after a back-off. */
    TRANSIENT,
    /** The credentials were refused: nothing works until they are fixed. */
    AUTHENTICATION,
    /** The request itself is wrong: retrying will not help; tell the user. */
    INVALID_REQUEST,
    /** The instance does not exist. */
    NOT_FOUND
  }

  private final Kind kind;
  private final String code;

  public EciException(Kind kind, String code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.kind = kind;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  /** ECI's (or the SDK's) error code. */
  public String code() {
    return code;
  }

  /** Whether the same call may succeed later without any change. */
  public boolean isRetryable() {
    return kind == Kind.THROTTLED || kind == Kind.TRANSIENT;
  }
}
