package io.eci.vnode.sandbox.eci;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The time instances live by. It follows the system clock, shifted by however far a test has
 * advanced it, so lifecycles can be fast-forwarded without waiting. Signatures are always checked
 * against real time.
 */
public final class SandboxClock {

  private final Clock system;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  public SandboxClock() {
    this(Clock.systemUTC());
  }

  SandboxClock(Clock system) {
    this.system = system;
  }

  /** The sandbox's current time. */
  public Instant now() {
    return system.instant().plus(offset.get());
  }

  /** Moves the sandbox's time forward; instances behave as if that much time had passed. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + by);
    }
    offset.accumulateAndGet(by, Duration::plus);
  }
}
