package io.eci.vnode.sandbox.controlplane;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that stays Ready without a kubelet: its Lease is renewed and its Ready condition written
 * every few seconds, as a kubelet would. A cluster needs one beside a virtual node to behave like a
 * real one when the virtual node goes silent: when every node is unreachable, the node-lifecycle
 * controller assumes its own network failed and evicts nothing. It carries a taint so that nothing
 * is scheduled to it; no pod could run there.
 */
public final class HeartbeatNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatNode.class);
  private static final int RENEW_SECONDS = 5;

  /** The taint that keeps pods off it. */
  public static final String TAINT = "eci-vnode.io/no-kubelet";

  private final KubernetesClient client;
  private final String name;
  private final ScheduledExecutorService timer;

  private HeartbeatNode(KubernetesClient client, String name) {
    this.client = client;
    this.name = name;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeat-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Registers the node with these labels and keeps it Ready until closed. */
  static HeartbeatNode start(KubernetesClient client, String name, Map<String, String> labels) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewTaint()
                .withKey(TAINT)
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .build())
        .create();
    HeartbeatNode node = new HeartbeatNode(client, name);
    node.beat();
    node.timer.scheduleWithFixedDelay(
        node::beatSafely, RENEW_SECONDS, RENEW_SECONDS, TimeUnit.SECONDS);
    return node;
  }

  public String name() {
    return name;
  }

  private void beatSafely() {
    try {
      beat();
    } catch (RuntimeException e) {
      LOG.debug("heartbeat of {} failed", name, e);
    }
  }

  private void beat() {
    String now = Instant.now().toString();
    Quantity many = new Quantity("110");
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            client
                .getKubernetesSerialization()
                .asJson(
                    new NodeBuilder()
                        .withNewStatus()
                        .addToCapacity("pods", many)
                        .addToAllocatable("pods", many)
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .withReason("KubeletReady")
                        .withMessage("heartbeat without a kubelet")
                        .withLastHeartbeatTime(now)
                        .withLastTransitionTime(now)
                        .endCondition()
                        .endStatus()
                        .build()));
    var leases = client.leases().inNamespace("kube-node-lease");
    var lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("kube-node-lease")
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(name)
            .withLeaseDurationSeconds(40)
            .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC))
            .endSpec()
            .build();
    if (leases.withName(name).get() == null) {
      leases.resource(lease).create();
    } else {
      leases
          .resource(lease)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              client.getKubernetesSerialization().asJson(lease));
    }
  }

  /** Stops the heartbeat; the node stays (and goes Unknown like any silent node). */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
