package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.selection.EciProfile;
import io.eci.vnode.engine.translate.References;
import io.eci.vnode.engine.translate.TranslationContext;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The directions of the pod controller wired around one {@link KnownPods}, over ports only: the
 * same wiring runs on fabric8 and the SDK in production ({@link PodController}) and on fakes in the
 * fast tests.
 */
final class PodDirections {

  /**
   * What the directions run over.
   *
   * @param store the node's pods
   * @param references what pods refer to (ConfigMaps, Secrets, Services)
   * @param events where Events on pods go
   * @param eci the provider
   * @param clock the time grace periods are counted in
   * @param later the timer that ends a grace period
   */
  record Ports(
      PodStore store,
      References references,
      EventRecorder events,
      ContainerInstances eci,
      Clock clock,
      Later later) {}

  /**
   * Where the directions hand keys, read only when a key is handed (the queues are made from the
   * handlers below).
   *
   * @param deletions the {@code deletePodsFromKubernetes} queue
   * @param statusWrites the {@code updatePodStatus} queue
   */
  record Queues(Supplier<PodQueue> deletions, Supplier<PodQueue> statusWrites) {}

  final KnownPods known;
  final PodSync sync;
  final StatusPoll poll;
  final PodDeletion deletion;

  /**
   * @param context the node's name and configuration; the eci-profile is applied to it per create
   * @param createLatency told how long each created instance's pod waited for it
   */
  PodDirections(
      KnownPods known,
      Ports ports,
      Queues queues,
      TranslationContext context,
      Supplier<EciProfile> profile,
      BooleanSupplier mayWrite,
      Consumer<Duration> createLatency) {
    this.known = known;
    String clusterId = context.config().clusterId();
    PodFailures failures = new PodFailures(ports.store(), ports.events());
    ZoneFailover zones =
        new ZoneFailover(known, ports.store(), ports.eci(), ports.events(), failures);
    this.deletion =
        new PodDeletion(
            clusterId,
            known,
            ports.store(),
            ports.eci(),
            ports.events(),
            failures,
            mayWrite,
            ports.clock(),
            ports.later(),
            key -> queues.deletions().get().enqueue(key));
    this.sync =
        new PodSync(
            known,
            ports.store(),
            ports.references(),
            () -> context.with(profile.get()),
            ports.eci(),
            ports.events(),
            zones,
            failures,
            deletion,
            mayWrite,
            createLatency);
    this.poll =
        new StatusPoll(
            known,
            ports.store(),
            ports.eci(),
            clusterId,
            mayWrite,
            zones,
            new OrphanCollector(clusterId, context.nodeName(), ports.eci(), known, ports.clock()),
            deletion,
            failures,
            key -> queues.statusWrites().get().enqueue(key));
  }
}
