package io.eci.vnode.engine.node;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ownership election on fabric8's leader elector, over the cluster's coordination Lease (read
 * and written through a {@link HolderAwareLock}).
 */
final class LeaseElection implements OwnershipLease.Election {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);

  private final KubernetesClient client;
  private final String identity;
  private final String nodeName;
  private final OwnershipLease.Timing timing;
  private final OutageLog apiServer;

  /**
   * @param apiServer the outage log of the cluster's API server, told of every call's outcome
   */
  LeaseElection(
      KubernetesClient client,
      String identity,
      String nodeName,
      OwnershipLease.Timing timing,
      OutageLog apiServer) {
    this.client = client;
    this.identity = identity;
    this.nodeName = nodeName;
    this.timing = timing;
    this.apiServer = apiServer;
  }

  @Override
  public CompletableFuture<?> run(Runnable gained, Runnable lost, Consumer<String> newHolder) {
    LeaderElectionConfig config =
        new LeaderElectionConfigBuilder()
            .withName(OwnershipLease.NAME)
            .withLock(new HolderAwareLock(identity, nodeName, apiServer))
            .withLeaseDuration(timing.leaseDuration())
            .withRenewDeadline(timing.renewDeadline())
            .withRetryPeriod(timing.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(new LeaderCallbacks(gained, lost, newHolder))
            .build();
    return client.leaderElector().withConfig(config).build().start();
  }

  /**
   * As client-go's release on cancel does: no holder, one-second duration. fabric8's elector tries
   * the same on cancel but gives up without a word when its update conflicts with its own last
   * renewal, which leaves the next owner waiting out the whole Lease; so it is done here, on the
   * Lease's current version, retried once.
   */
  @Override
  public void release() {
    var leases = client.leases().inNamespace(OwnershipLease.NAMESPACE);
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        Lease current = leases.withName(OwnershipLease.NAME).get();
        if (current == null
            || current.getSpec() == null
            || !identity.equals(current.getSpec().getHolderIdentity())) {
          return;
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        current.getSpec().setHolderIdentity("");
        current.getSpec().setLeaseDurationSeconds(1);
        current.getSpec().setAcquireTime(now);
        current.getSpec().setRenewTime(now);
        leases.resource(current).update();
        LOG.info("{} released the ownership of {}", identity, nodeName);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          LOG.warn(
              "{} could not release the ownership of {} (it expires instead): {}",
              identity,
              nodeName,
              OutageLog.describe(e));
          return;
        }
      }
    }
  }

  @Override
  public AutoCloseable onRelease(Runnable released) {
    Watch watch =
        client
            .leases()
            .inNamespace(OwnershipLease.NAMESPACE)
            .withName(OwnershipLease.NAME)
            .watch(
                new Watcher<Lease>() {
                  @Override
                  public void eventReceived(Action action, Lease lease) {
                    boolean free =
                        action == Action.DELETED
                            || lease.getSpec() == null
                            || lease.getSpec().getHolderIdentity() == null
                            || lease.getSpec().getHolderIdentity().isEmpty();
                    if (free) {
                      released.run();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    // the next retry takes the Lease; the watch was only a shortcut
                    LOG.debug("the watch of the ownership Lease of {} ended", nodeName, cause);
                  }
                });
    return watch::close;
  }
}
