package io.eci.vnode.engine.node;

/**
 * Who the virtual node is.
 *
 * @param region e.g. cn-hangzhou
 * @param zoneId the zone of its first vSwitch, e.g. cn-hangzhou-b
 */
public record NodeIdentity(String region, String zoneId) {

  /** {@code virtual-kubelet-<region>-<zone>}, the zone id carrying the region already. */
  public String nodeName() {
    return "virtual-kubelet-" + zoneId;
  }
}
