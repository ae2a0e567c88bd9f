package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.CreateInstance;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.threads.KeyedQueue.Outcome;
import io.eci.vnode.engine.translate.PodTranslator;
import io.eci.vnode.engine.translate.References;
import io.eci.vnode.engine.translate.Translation;
import io.eci.vnode.engine.translate.TranslationContext;
import io.eci.vnode.engine.translate.TranslationException;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code syncPodsFromKubernetes}: a bound pod without an instance gets one (ClientToken = pod UID,
 * so a retry or a restarted engine never makes a second); one recorded on the pod by an earlier
 * owner is adopted; a pod being deleted has its instance stopped ({@link PodDeletion}), on this
 * queue so that it never overlaps the pod's create.
 */
final class PodSync {

  private final KnownPods known;
  private final PodStore store;
  private final References references;
  private final Supplier<TranslationContext> context;
  private final ContainerInstances eci;
  private final EventRecorder events;
  private final ZoneFailover zones;
  private final PodFailures failures;
  private final PodDeletion deletion;
  private final BooleanSupplier mayWrite;
  private final Consumer<Duration> createLatency;

  /**
   * @param context the translation context with the eci-profile as of now
   * @param createLatency told, for each instance created, how long its pod waited since it was
   *     first seen on the node
   */
  PodSync(
      KnownPods known,
      PodStore store,
      References references,
      Supplier<TranslationContext> context,
      ContainerInstances eci,
      EventRecorder events,
      ZoneFailover zones,
      PodFailures failures,
      PodDeletion deletion,
      BooleanSupplier mayWrite,
      Consumer<Duration> createLatency) {
    this.known = known;
    this.store = store;
    this.references = references;
    this.context = context;
    this.eci = eci;
    this.events = events;
    this.zones = zones;
    this.failures = failures;
    this.deletion = deletion;
    this.mayWrite = mayWrite;
    this.createLatency = createLatency;
  }

  /** The handler of the {@code syncPodsFromKubernetes} queue. */
  Outcome syncPodsFromKubernetes(String key) {
    Optional<Pod> cached = store.cached(key);
    if (cached.isEmpty() || !mayWrite.getAsBoolean()) {
      return Outcome.done();
    }
    Pod pod = cached.get();
    String uid = PodFields.uid(pod);
    if (PodFields.isDeleting(pod)) {
      deletion.stopInstance(pod);
      return Outcome.done();
    }
    if (PodFields.isFinal(pod) || known.hasInstance(uid)) {
      known.stopWaiting(uid);
      return Outcome.done();
    }
    String recorded = PodFields.annotation(pod, PodController.INSTANCE_ANNOTATION);
    if (recorded != null) {
      // Created by an earlier owner: adopt it. The status poll fails the pod if the instance is
      // gone.
      known.stopWaiting(uid);
      known.runsAs(uid, recorded);
      return Outcome.done();
    }
    return create(pod);
  }

  private Outcome create(Pod pod) {
    Translation translation;
    try {
      translation = PodTranslator.translate(pod, references, context.get());
    } catch (TranslationException e) {
      String reasons = String.join("; ", e.reasons());
      if (e.kind() == TranslationException.Kind.UNSUPPORTED) {
        failures.fail(pod, e.podReason(), reasons);
        return Outcome.done();
      }
      // Expected and often (a ConfigMap applied after its pod): the Event says so, counted on
      // one Event, and the queue tries again after a back-off without logging a failure.
      events.warning(pod, e.podReason(), reasons);
      return Outcome.requeueLater(reasons);
    }
    translation.warnings().forEach(w -> events.warning(pod, "PartlyTranslated", w));
    Optional<CreateInstance> create = zones.skipExcludedZones(pod, translation.create());
    if (create.isEmpty()) {
      return Outcome.done();
    }
    String id;
    try {
      id = eci.create(create.get());
    } catch (EciException e) {
      if (e.isRetryable()) {
        throw e;
      }
      String reason = e.kind() == EciException.Kind.NO_STOCK ? "NoStock" : "ProviderFailed";
      failures.fail(pod, reason, "ECI refused the instance: " + e.getMessage());
      return Outcome.done();
    }
    // The instance id is recorded on the pod with its zone by the first status write, in the same
    // request as the status. A restart before then finds the instance by its pod-uid tag, and the
    // client token makes a repeated create return the same instance.
    known.runsAs(PodFields.uid(pod), id);
    known.stopWaiting(PodFields.uid(pod)).ifPresent(createLatency);
    events.normal(pod, "InstanceCreated", "ECI instance " + id + " created");
    return Outcome.done();
  }
}
