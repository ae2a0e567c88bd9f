package io.eci.vnode.sandbox.eci;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vSwitch: a zone and an IPv4 CIDR that instances in it take their IntranetIp from.
 *
 * @param id e.g. {@code vsw-a}
 * @param zoneId e.g. {@code cn-hangzhou-b}
 * @param cidr e.g. {@code 10.1.0.0/16}
 */
public record VSwitch(String id, String zoneId, String cidr) {

  /**
   * Hands out addresses of a vSwitch in order, skipping the network, gateway and broadcast
   * addresses.
   */
  static final class Addresses {
    private final VSwitch vSwitch;
    private final int base;
    private final int size;
    private final AtomicInteger next = new AtomicInteger(2);

    Addresses(VSwitch vSwitch) {
      this.vSwitch = vSwitch;
      String[] parts = vSwitch.cidr().split("/");
      int prefix = Integer.parseInt(parts[1]);
      if (prefix < 8 || prefix > 29) {
        throw new IllegalArgumentException(
            "vSwitch " + vSwitch.id() + ": prefix must be /8 to /29");
      }
      int address = 0;
      for (String octet : parts[0].split("\\.")) {
        address = (address << 8) | Integer.parseInt(octet);
      }
      this.size = 1 << (32 - prefix);
      this.base = address & ~(size - 1);
    }

    /**
     * Makes sure addresses up to {@code ip} (one handed out before a restart) are not handed out
     * again.
     */
    void skipPast(String ip) {
      int a = 0;
      for (String octet : ip.split("\\.")) {
        a = (a << 8) | Integer.parseInt(octet);
      }
      int offset = a - base;
      next.accumulateAndGet(offset + 1, Math::max);
    }

    /** How many addresses are left to hand out. */
    int available() {
      return Math.max(0, size - 1 - next.get());
    }

    /** The next free address, as dotted quad. */
    String allocate() {
      int offset = next.getAndIncrement();
      if (offset >= size - 1) {
        throw RpcError.ipExhausted(vSwitch.id());
      }
      int a = base + offset;
      return ((a >>> 24) & 255)
          + "."
          + ((a >>> 16) & 255)
          + "."
          + ((a >>> 8) & 255)
          + "."
          + (a & 255);
    }
  }
}
