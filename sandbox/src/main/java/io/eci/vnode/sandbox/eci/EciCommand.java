package io.eci.vnode.sandbox.eci;

/** Placeholder until the ECI endpoint lands. */
public final class EciCommand {

  private EciCommand() {}

  public static void main(String[] args) {
    throw new UnsupportedOperationException("the eci stand-in is not built yet");
  }
}
