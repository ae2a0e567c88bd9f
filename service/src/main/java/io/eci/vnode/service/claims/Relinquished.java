package io.eci.vnode.service.claims;

/**
 * Why no replica hosts a cluster any more, when its owner decided so (not when its claim merely
 * moved to another replica): what the virtual node's Ready condition says once the engine stops.
 */
public enum Relinquished {
  PAUSED(
      "VirtualNodePaused",
      "the owner paused managed mode for this cluster: pods keep running on ECI, but their status is"
          + " not followed and new pods wait until it is resumed"),
  UNMANAGED(
      "VirtualNodeUnmanaged",
      "the cluster switched to unmanaged mode: the hosted service no longer runs this node; the"
          + " in-cluster agent takes it over once it runs"),
  DEREGISTERING(
      "VirtualNodeDeregistering",
      "the cluster is being deregistered: its ECI instances, this node and its Leases are being"
          + " removed");

  private final String reason;
  private final String message;

  Relinquished(String reason, String message) {
    this.reason = reason;
    this.message = message;
  }

  /**
   * Why a cluster that is no longer claimable is so: being deregistered, switched to unmanaged, or
   * paused.
   *
   * @param mode the cluster's mode as stored
   * @param paused whether its owner paused it
   * @param deregistering whether it is being deregistered
   */
  static Relinquished of(String mode, boolean paused, boolean deregistering) {
    if (deregistering) {
      return DEREGISTERING;
    }
    if (!"managed".equals(mode)) {
      return UNMANAGED;
    }
    return paused ? PAUSED : DEREGISTERING;
  }

  /** The Ready condition's reason. */
  public String reason() {
    return reason;
  }

  /** The Ready condition's message, in words the cluster's users can act on. */
  public String message() {
    return message;
  }
}
