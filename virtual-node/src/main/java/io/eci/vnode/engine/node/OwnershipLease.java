package io.eci.vnode.engine.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's coordination Lease {@value #NAMESPACE}/{@value #NAME}, the fence that keeps two
 * hosts from ever writing to one cluster at once: the engine acts only while it holds it. Gaining
 * it takes over on the node's lane (so a slow API server never blocks the elector, nor a close that
 * cancels it); losing it stops every write at once. Each gain is a term: work of an earlier term (a
 * take-over still queued or retrying when the Lease was lost) is dropped.
 */
public final class OwnershipLease implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OwnershipLease.class);

  /** The coordination Lease whose holder alone may act for the cluster. */
  public static final String NAME = "eci-virtual-node-controller";

  public static final String NAMESPACE = "kube-system";

  /**
   * @param leaseDuration how long the Lease holds without renewal
   * @param renewDeadline how long the holder keeps trying to renew before it stops acting
   * @param retryPeriod how often candidates try to take the Lease, and a failed take-over or an
   *     ended election is tried again
   */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {}

  /** One election for the Lease, and the Lease itself. */
  interface Election {
    /**
     * Competes for the Lease until cancelled or failed (fabric8's elector gives up for good on an
     * error): {@code gained} when this identity holds it, {@code lost} when it no longer does.
     */
    CompletableFuture<?> run(Runnable gained, Runnable lost, Consumer<String> newHolder);

    /** Gives the Lease up at once if this identity still holds it; a failure is logged. */
    void release();

    /**
     * Calls {@code released} once the Lease is given up or deleted (its holder empty), until the
     * returned handle is closed: so a candidate competes at once rather than at its next retry.
     * Best effort: without it candidates still take the Lease at their next retry.
     */
    default AutoCloseable onRelease(Runnable released) {
      return () -> {};
    }
  }

  private final Election election;
  private final String identity;
  private final String nodeName;
  private final Duration retryPeriod;
  private final NodeWork work;
  private volatile BooleanSupplier takeOver;
  private volatile Runnable acting;
  private final AtomicBoolean owner = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger terms = new AtomicInteger();
  private volatile CompletableFuture<?> running;
  private volatile String foreignHolder;
  private volatile Instant foreignSince;
  private final AtomicBoolean nudged = new AtomicBoolean();
  private final ReleaseWatch releaseWatch;

  /**
   * @param identity who this engine is in the Lease: unique per engine ({@link LeaseHolder} for a
   *     hosted one)
   * @param nodeName the node it acts for, for logs
   * @param work the node's lane, where take-overs run
   * @param apiServer the outage log of the cluster's API server, told of every Lease call
   */
  public OwnershipLease(
      KubernetesClient client,
      String identity,
      String nodeName,
      Timing timing,
      NodeWork work,
      OutageLog apiServer) {
    this(
        new LeaseElection(client, identity, nodeName, timing, apiServer),
        identity,
        nodeName,
        timing,
        work);
  }

  OwnershipLease(
      Election election, String identity, String nodeName, Timing timing, NodeWork work) {
    this.election = election;
    this.identity = identity;
    this.nodeName = nodeName;
    this.retryPeriod = timing.retryPeriod();
    this.work = work;
    this.releaseWatch = new ReleaseWatch(election, nodeName);
  }

  /**
   * Competes for the Lease until closed; returns at once.
   *
   * @param takeOver prepares to act (registers the node), holding the Lease but not yet acting;
   *     false retries it after the retry period
   * @param acting acting has begun, every write allowed; called once per term
   */
  public void start(BooleanSupplier takeOver, Runnable acting) {
    this.takeOver = takeOver;
    this.acting = acting;
    elect();
  }

  /**
   * Why an engine stays passive, and since when.
   *
   * @param reason names the Lease and its holder
   * @param since when this engine first saw that holder
   */
  public record Passive(String reason, Instant since) {}

  /**
   * Why this engine stays passive, while the Lease is held by another: empty while it owns the
   * cluster, or the Lease is free or unread. Its own earlier term never counts (it is taken over).
   */
  public Optional<Passive> passive() {
    String holder = foreignHolder;
    Instant since = foreignSince;
    if (holder == null || since == null || owner.get()) {
      return Optional.empty();
    }
    String lease = NAMESPACE + "/" + NAME;
    boolean sameRegistration =
        LeaseHolder.parse(identity)
            .flatMap(
                self ->
                    LeaseHolder.parse(holder)
                        .filter(h -> h.registration().equals(self.registration())))
            .isPresent();
    return Optional.of(
        new Passive(
            sameRegistration
                ? "the ownership Lease "
                    + lease
                    + " is held by "
                    + holder
                    + ", another engine of this registration; waiting until it is released or"
                    + " expires"
                : "the ownership Lease "
                    + lease
                    + " is held by "
                    + holder
                    + ", not by this registration's engine; staying passive",
            since));
  }

  /** Whether this engine acts for the cluster now: the fence every writer checks. */
  public boolean isOwner() {
    return owner.get();
  }

  /**
   * Stops acting at once, still holding the Lease (until {@link #leave}); returns whether this
   * engine was acting.
   */
  public boolean stopActing() {
    terms.incrementAndGet();
    return owner.getAndSet(false);
  }

  /**
   * Stops competing for good: no new term begins. With {@code release}, gives the Lease up so the
   * next owner need not wait it out.
   */
  public void leave(boolean release) {
    closed.set(true);
    releaseWatch.stop();
    stopActing();
    CompletableFuture<?> current = running;
    if (current != null) {
      current.cancel(true);
    }
    if (release) {
      election.release();
    }
  }

  /** Stops competing; an owner gives the Lease up. */
  @Override
  public void close() {
    leave(stopActing());
  }

  /** Runs for the Lease; a new election starts whenever one ends while open. */
  private void elect() {
    if (closed.get()) {
      return;
    }
    CompletableFuture<?> run = election.run(this::gained, this::lost, this::observed);
    running = run;
    run.whenComplete(
        (done, error) -> {
          lost();
          if (!closed.get()) {
            work.schedule(this::elect, nudged.getAndSet(false) ? Duration.ZERO : retryPeriod);
          }
        });
  }

  /** The elector saw a new holder of the Lease: another engine's, this one's, or none. */
  private void observed(String holder) {
    boolean foreign = holder != null && !holder.isEmpty() && !holder.equals(identity);
    foreignSince = foreign ? Instant.now() : null;
    foreignHolder = foreign ? holder : null;
    if (foreign) {
      LOG.info("owner of {} is now {}; this engine ({}) stays passive", nodeName, holder, identity);
      releaseWatch.start(this::released);
    } else {
      LOG.info(
          "owner of {} is now {}",
          nodeName,
          holder == null || holder.isEmpty() ? "nobody" : holder);
    }
  }

  /** The other holder gave the Lease up: a candidate competes at once. */
  private void released() {
    releaseWatch.stop();
    CompletableFuture<?> current = running;
    // Only a candidate restarts: an owner's election is never cancelled by this.
    if (!owner.get() && !closed.get() && current != null && !current.isDone()) {
      LOG.info(
          "the ownership Lease of {} was released; {} competes for it now", nodeName, identity);
      nudged.set(true);
      current.cancel(true);
    }
  }

  /** Called by the elector while it holds its own lock: the take-over runs on the node's lane. */
  private void gained() {
    int term = terms.incrementAndGet();
    try {
      work.execute(() -> takeOver(term));
    } catch (RejectedExecutionException e) {
      LOG.debug("virtual node {} closed before it took over", nodeName);
    }
  }

  private void takeOver(int term) {
    if (!current(term)) {
      return;
    }
    LOG.info("{} owns the virtual node {}", identity, nodeName);
    if (!takeOver.getAsBoolean()) {
      work.schedule(() -> takeOver(term), retryPeriod);
      return;
    }
    // a Lease lost while the node was being registered must not start acting
    if (current(term) && !owner.getAndSet(true)) {
      acting.run();
    }
  }

  private boolean current(int term) {
    return term == terms.get() && !closed.get();
  }

  private void lost() {
    if (stopActing()) {
      LOG.warn("{} lost ownership of the virtual node {}; writes stopped", identity, nodeName);
    }
  }
}
