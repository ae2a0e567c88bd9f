package io.eci.vnode.sandbox.controlplane;

/** The control plane's binaries are not installed; the message says how to install them. */
public final class MissingControlPlaneException extends IllegalStateException {

  public MissingControlPlaneException(String message) {
    super(message);
  }
}
