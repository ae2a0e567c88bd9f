package io.eci.vnode.sandbox.kube;

/** Placeholder until the Kubernetes API stand-in lands. */
public final class KubeCommand {

  private KubeCommand() {}

  public static void main(String[] args) {
    throw new UnsupportedOperationException("the kube stand-in is not built yet");
  }
}
