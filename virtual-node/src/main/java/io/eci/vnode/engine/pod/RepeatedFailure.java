package io.eci.vnode.engine.pod;

import org.slf4j.Logger;

/**
 * The log of something that runs again and again and may keep failing (a poll twice a second): a
 * WARN when it starts failing, with the cause and no stack trace, an INFO when it succeeds again,
 * and the failures in between, stack traces included, at DEBUG only.
 */
final class RepeatedFailure {

  private final Logger log;
  private final String what;
  private volatile boolean failing;

  /**
   * @param what what runs, for the log, e.g. "status poll of cluster c-1"
   */
  RepeatedFailure(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  void failed(RuntimeException e) {
    if (failing) {
      log.debug("{} failed again", what, e);
    } else {
      failing = true;
      log.warn("{} failed: {}", what, e.toString());
    }
  }

  void succeeded() {
    if (failing) {
      failing = false;
      log.info("{} succeeds again", what);
    }
  }
}
