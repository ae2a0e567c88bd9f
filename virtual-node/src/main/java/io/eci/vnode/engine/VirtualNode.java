package io.eci.vnode.engine;

import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.node.NodeController;
import io.eci.vnode.engine.node.NodeIdentity;
import io.eci.vnode.engine.pod.PodController;
import io.eci.vnode.engine.selection.Binder;
import io.eci.vnode.engine.selection.EciProfile;
import io.eci.vnode.engine.translate.TranslationContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's virtual node: its Node and Lease, the binder of selected pods, and the pod
 * controller that runs them on ECI. Both hosts (the service for managed clusters, the agent for
 * unmanaged ones) run it the same way: {@link #start()}, then {@link #close()}.
 */
public final class VirtualNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VirtualNode.class);

  /**
   * @param statusPeriod how often the instances' status is read (one batched describe per period)
   * @param clusterDns the cluster DNS address for ClusterFirst pods, when known
   */
  public record Options(Duration statusPeriod, Optional<String> clusterDns) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(5), Optional.empty());
    }
  }

  private final NodeController node;
  private final PodController pods;
  private final Binder binder;
  private final ScheduledExecutorService executor;

  public VirtualNode(
      KubernetesClient client,
      VirtualNodeConfig config,
      NodeIdentity identity,
      ContainerInstances eci,
      Options options) {
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t =
                  new Thread(
                      r, "virtual-node-" + config.clusterId() + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.node = new NodeController(client, identity, config.quota(), Clock.systemUTC());
    TranslationContext context =
        new TranslationContext(config, identity.nodeName(), options.clusterDns());
    this.pods =
        new PodController(client, context, eci, executor, options.statusPeriod(), () -> true);
    this.binder = new Binder(client, identity.nodeName(), EciProfile::empty, () -> true);
  }

  /**
   * Registers the node, then starts renewing its lease, binding selected pods and running bound
   * ones.
   */
  public VirtualNode start() {
    node.register();
    node.renewLease();
    executor.scheduleWithFixedDelay(
        this::renewLease,
        NodeController.RENEW_EVERY_SECONDS,
        NodeController.RENEW_EVERY_SECONDS,
        TimeUnit.SECONDS);
    pods.start();
    binder.start();
    return this;
  }

  private void renewLease() {
    try {
      node.renewLease();
    } catch (RuntimeException e) {
      LOG.warn("lease of node {} not renewed: {}", node.nodeName(), e.toString());
    }
  }

  public String nodeName() {
    return node.nodeName();
  }

  @Override
  public void close() {
    binder.close();
    pods.close();
    executor.shutdownNow();
  }
}
