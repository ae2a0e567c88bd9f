package io.eci.vnode.engine.node;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An election the test decides: it gains and loses the Lease, ends the election, counts releases.
 */
final class FakeElection implements OwnershipLease.Election {

  private Runnable gained;
  private Runnable lost;
  private CompletableFuture<Void> running;
  int runs;
  int releases;

  @Override
  public CompletableFuture<?> run(Runnable gained, Runnable lost, Consumer<String> newHolder) {
    this.gained = gained;
    this.lost = lost;
    this.newHolder = newHolder;
    runs++;
    running = new CompletableFuture<>();
    return running;
  }

  private Consumer<String> newHolder;
  private Runnable released;

  @Override
  public void release() {
    releases++;
  }

  @Override
  public AutoCloseable onRelease(Runnable released) {
    this.released = released;
    return () -> this.released = null;
  }

  /** The elector sees {@code holder} hold the Lease. */
  void heldBy(String holder) {
    newHolder.accept(holder);
  }

  /** The Lease's holder gives it up. */
  void releasedByHolder() {
    if (released != null) {
      released.run();
    }
  }

  void gain() {
    gained.run();
  }

  void lose() {
    lost.run();
  }

  /** The elector gives up, as fabric8's does on an error. */
  void end() {
    running.completeExceptionally(new IllegalStateException("API server gone"));
  }

  boolean cancelled() {
    return running.isCancelled();
  }
}
