package io.eci.vnode.engine.selection;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code kube-system/eci-profile}. A valid profile takes effect for pods admitted, bound or
 * created from then on (running instances keep what they were created with); an invalid one is
 * refused whole, the previous profile stays in force, and a Warning event on the ConfigMap says
 * why.
 */
public final class ProfileWatcher implements Supplier<EciProfile>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProfileWatcher.class);

  private final KubernetesClient client;
  private final Executor executor;
  private final AtomicReference<EciProfile> current = new AtomicReference<>(EciProfile.empty());
  private SharedIndexInformer<ConfigMap> informer;

  /**
   * @param executor where the Warning event for a refused profile is written (never the informer's
   *     thread)
   */
  public ProfileWatcher(KubernetesClient client, Executor executor) {
    this.client = client;
    this.executor = executor;
  }

  public void start() {
    informer =
        client
            .configMaps()
            .inNamespace(EciProfile.NAMESPACE)
            .withName(EciProfile.NAME)
            .runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap map) {
            apply(map);
          }

          @Override
          public void onUpdate(ConfigMap before, ConfigMap after) {
            apply(after);
          }

          @Override
          public void onDelete(ConfigMap map, boolean unknownFinalState) {
            current.set(EciProfile.empty());
          }
        });
    // Assigned before it starts: its first events arrive on another thread at once.
    informer.start().toCompletableFuture().join();
  }

  @Override
  public EciProfile get() {
    return current.get();
  }

  private void apply(ConfigMap map) {
    EciProfile.Parsed parsed = EciProfile.parse(map);
    if (parsed.profile().isPresent()) {
      current.set(parsed.profile().get());
      LOG.info("eci-profile applied (resourceVersion {})", map.getMetadata().getResourceVersion());
      return;
    }
    String problems = String.join("; ", parsed.problems());
    LOG.warn("eci-profile refused, the previous one stays in force: {}", problems);
    try {
      executor.execute(() -> recordRefusal(map, problems));
    } catch (RejectedExecutionException e) {
      LOG.debug("engine stopped; the eci-profile refusal is not recorded as an event");
    }
  }

  private void recordRefusal(ConfigMap map, String problems) {
    try {
      String now = Instant.now().toString();
      client
          .v1()
          .events()
          .inNamespace(EciProfile.NAMESPACE)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(EciProfile.NAME + ".")
                  .withNamespace(EciProfile.NAMESPACE)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("v1")
                  .withKind("ConfigMap")
                  .withNamespace(EciProfile.NAMESPACE)
                  .withName(EciProfile.NAME)
                  .withUid(map.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType("Warning")
                  .withReason("InvalidEciProfile")
                  .withMessage("Refused; the previous profile stays in force: " + problems)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("eci-virtual-node")
                  .endSource()
                  .build())
          .create();
    } catch (RuntimeException e) {
      LOG.warn("could not record the eci-profile event: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
