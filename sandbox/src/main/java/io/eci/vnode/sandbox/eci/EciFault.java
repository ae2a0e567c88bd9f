package io.eci.vnode.sandbox.eci;

import java.util.function.Supplier;

/** Errors a test can make the next call of an action fail with, by name. */
public enum EciFault {
  /** 403 OperationDenied.NoStock. */
  NO_STOCK(RpcError::noStock),
  /** 400 Throttling.User. */
  THROTTLING(RpcError::throttled),
  /** 503 ServiceUnavailable. */
  SERVICE_UNAVAILABLE(RpcError::serviceUnavailable),
  /** 500 InternalError. */
  INTERNAL_ERROR(RpcError::internalError);

  private final Supplier<RpcError> error;

  EciFault(Supplier<RpcError> error) {
    this.error = error;
  }

  RpcError error() {
    return error.get();
  }
}
