package io.eci.vnode.engine.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * fabric8's Lease lock, as the elector reads and writes it, with two things added. A Lease held by
 * this engine's own earlier term ({@link LeaseHolder#isEarlierTermOf}: this replica restarted)
 * reads as free, so the elector takes it over at once instead of waiting it out; its write still
 * carries the version just read, so a concurrent change wins and the take-over is tried again. The
 * first fence stays the claim's epoch, bumped before the new term began. And every call's outcome
 * goes to the {@link OutageLog} of the cluster's API server, so an unreachable one is logged once,
 * not at every retry (fabric8's elector logs each failure with its stack trace by itself; hosts
 * keep its category quiet).
 */
final class HolderAwareLock implements Lock {

  private static final Logger LOG = LoggerFactory.getLogger(HolderAwareLock.class);

  private final LeaseLock lease;
  private final Optional<LeaseHolder> self;
  private final OutageLog apiServer;
  private final String nodeName;

  HolderAwareLock(String identity, String nodeName, OutageLog apiServer) {
    this.lease = new LeaseLock(OwnershipLease.NAMESPACE, OwnershipLease.NAME, identity);
    this.self = LeaseHolder.parse(identity);
    this.apiServer = apiServer;
    this.nodeName = nodeName;
  }

  @Override
  public LeaderElectionRecord get(KubernetesClient client) {
    LeaderElectionRecord read = call(() -> lease.get(client));
    if (read == null || !isOwnEarlierTerm(read.getHolderIdentity())) {
      return read;
    }
    LOG.info(
        "{} takes over the ownership Lease of {} from its own earlier term {}",
        lease.identity(),
        nodeName,
        read.getHolderIdentity());
    return read.toBuilder().holderIdentity("").build();
  }

  @Override
  public void create(KubernetesClient client, LeaderElectionRecord record) {
    call(
        () -> {
          lease.create(client, record);
          return null;
        });
  }

  @Override
  public void update(KubernetesClient client, LeaderElectionRecord record) {
    call(
        () -> {
          lease.update(client, record);
          return null;
        });
  }

  @Override
  public String identity() {
    return lease.identity();
  }

  @Override
  public String describe() {
    return lease.describe();
  }

  /** Whether {@code holder} is this engine's own earlier term. */
  boolean isOwnEarlierTerm(String holder) {
    return self.isPresent()
        && LeaseHolder.parse(holder).filter(h -> h.isEarlierTermOf(self.get())).isPresent();
  }

  private <T> T call(Supplier<T> call) {
    try {
      T result = call.get();
      apiServer.succeeded();
      return result;
    } catch (KubernetesClientException e) {
      // A conflict is the API server answering: another writer was first, not an outage.
      if (e.getCode() == 409) {
        apiServer.succeeded();
      } else {
        apiServer.failed(e);
      }
      throw e;
    }
  }
}
