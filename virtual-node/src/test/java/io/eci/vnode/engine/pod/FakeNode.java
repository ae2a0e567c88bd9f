package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.config.EciCredentials;
import io.eci.vnode.engine.config.VirtualNodeConfig;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.pod.fake.FakeContainerInstances;
import io.eci.vnode.engine.pod.fake.FakePodStore;
import io.eci.vnode.engine.pod.fake.FakeReferences;
import io.eci.vnode.engine.pod.fake.RecordedEvents;
import io.eci.vnode.engine.selection.EciProfile;
import io.eci.vnode.engine.translate.TranslationContext;
import io.eci.vnode.sandbox.testing.ManualClock;
import io.eci.vnode.sandbox.testing.TestPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The pod controller's directions, wired as in production ({@link PodDirections}) but over fakes,
 * with queues and a timer the test runs on its own thread: what the informer would enqueue is
 * enqueued by {@link #bound} and {@link #change}, and {@link #settle()} runs the queues dry.
 */
final class FakeNode {

  static final String CLUSTER = "cluster-fast";
  static final String NODE = "virtual-kubelet-cn-hangzhou-b";

  final FakeContainerInstances eci;
  final FakePodStore pods;
  final RecordedEvents events = new RecordedEvents();
  final FakeReferences references = new FakeReferences();
  final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
  final ManualTimer timer = new ManualTimer(clock);
  final ManualQueue syncs = new ManualQueue();
  final ManualQueue statusWrites = new ManualQueue();
  final ManualQueue deletions = new ManualQueue();
  final KnownPods known = new KnownPods();
  final AtomicBoolean owner = new AtomicBoolean(true);
  final List<Duration> createLatencies = new ArrayList<>();
  final List<Optional<EciException>> eciHealth = new ArrayList<>();
  final PodDirections directions;

  FakeNode() {
    this(List.of("vsw-b"));
  }

  FakeNode(List<String> vSwitches) {
    this(new FakeContainerInstances(), new FakePodStore(), vSwitches);
  }

  /**
   * This node's engine after a restart: the same ECI and API server, and nothing remembered. The
   * old engine is gone (the test no longer drives its queues).
   */
  FakeNode restarted() {
    return new FakeNode(eci, pods, List.of("vsw-b"));
  }

  private FakeNode(FakeContainerInstances eci, FakePodStore pods, List<String> vSwitches) {
    this.eci = eci;
    this.pods = pods;
    VirtualNodeConfig config =
        new VirtualNodeConfig(
            CLUSTER,
            "cn-hangzhou",
            vSwitches,
            "sg-fast",
            true,
            new EciCredentials.AccessKey("LTAIfast", "fast-secret"),
            VirtualNodeConfig.Quota.defaults());
    directions =
        new PodDirections(
            known,
            new PodDirections.Ports(pods, references, events, eci, clock, timer),
            new PodDirections.Queues(() -> deletions, () -> statusWrites),
            new TranslationContext(config, NODE, Optional.empty()),
            EciProfile::empty,
            owner::get,
            createLatencies::add);
    syncs.handledBy(directions.sync::syncPodsFromKubernetes);
    statusWrites.handledBy(directions.poll::updatePodStatus);
    deletions.handledBy(directions.deletion::deletePodsFromKubernetes);
    pods.onGone(pod -> known.departed(pod, clock.instant()));
    pods.onWritten(
        pod -> {
          known.sighted(pod);
          syncs.enqueue(PodFields.key(pod));
        });
  }

  /** A labelled pod bound to the node, as the informer first sees it. */
  Pod bound(String name) {
    return bound(TestPods.labelledBuilder(name));
  }

  Pod bound(PodBuilder pod) {
    Pod added = pods.add(pod.editSpec().withNodeName(NODE).endSpec().build());
    known.sighted(added);
    syncs.enqueue(PodFields.key(added));
    return added;
  }

  /** The pod changes, and the informer tells the sync queue. */
  Pod change(String name, Consumer<PodBuilder> change) {
    Pod changed = pods.change(name, change);
    known.sighted(changed);
    syncs.enqueue(PodFields.key(changed));
    return changed;
  }

  /** The pod is deleted with this grace period, and the informer tells the sync queue. */
  Pod delete(String name, long graceSeconds) {
    Pod deleted = pods.markDeleted(name, graceSeconds);
    syncs.enqueue(PodFields.key(deleted));
    return deleted;
  }

  /** Runs every queue until none has anything left. */
  void settle() {
    boolean any = true;
    while (any) {
      any = syncs.drain() | statusWrites.drain() | deletions.drain();
    }
  }

  /** One status poll, then the work it handed on. */
  void poll() {
    directions.poll.poll(
        new PodController.Health() {
          @Override
          public void eci(Optional<EciException> failure) {
            eciHealth.add(failure);
          }

          @Override
          public void forbidden(KubernetesClientException refusal) {}
        });
    settle();
  }

  /** Time passes: the timer's due tasks run, then the work they handed on. */
  void advance(Duration by) {
    timer.advance(by);
    settle();
  }

  /** A bound pod, created, polled and Running. */
  Pod running(String name) {
    bound(name);
    settle();
    poll();
    return pods.pod(name);
  }

  String phase(String name) {
    Pod pod = pods.pod(name);
    return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  String annotation(String name, String key) {
    return PodFields.annotation(pods.pod(name), key);
  }
}
