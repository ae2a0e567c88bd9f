package io.eci.vnode.engine.eci;

/**
 * The tags that tie an ECI instance to its pod. The cluster tag is the fence of garbage collection:
 * the engine never touches an instance that does not carry its own cluster's id.
 */
public final class InstanceTags {

  public static final String CLUSTER = "eci-vnode/cluster";
  public static final String NAMESPACE = "eci-vnode/namespace";
  public static final String POD_NAME = "eci-vnode/pod-name";
  public static final String POD_UID = "eci-vnode/pod-uid";
  public static final String NODE = "eci-vnode/node";

  /** ECI's limit on a tag value's length. */
  public static final int MAX_VALUE = 128;

  private InstanceTags() {}
}
