package io.eci.vnode.engine.pod;

import java.time.Duration;

/** Runs a task after a delay: a lane's timer in production, the fast tests' own clock. */
interface Later {

  /** Runs {@code task} once {@code delay} has passed; it must not block. */
  void after(Duration delay, Runnable task);
}
