package io.eci.vnode.engine.pod;

import io.eci.vnode.engine.eci.ContainerInstances;
import io.eci.vnode.engine.eci.EciException;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.selection.EciProfile;
import io.eci.vnode.engine.status.StatusMapper;
import io.eci.vnode.engine.translate.PodTranslator;
import io.eci.vnode.engine.translate.References;
import io.eci.vnode.engine.translate.Translation;
import io.eci.vnode.engine.translate.TranslationContext;
import io.eci.vnode.engine.translate.TranslationException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the pods bound to the virtual node as ECI instances, in three directions:
 *
 * <ul>
 *   <li>{@code syncPodsFromKubernetes}: a bound pod without an instance gets one (ClientToken = pod
 *       UID, so a retry or a restarted engine never makes a second);
 *   <li>{@code syncPodStatusFromProvider}: one DescribeContainerGroups by the cluster's tag per
 *       period (a call per 20 pods, never per pod, never region-wide) updates every pod's status;
 *       instances whose pod is gone are deleted, and pods whose instance vanished fail with a
 *       reason;
 *   <li>{@code deletePodsFromKubernetes}: a pod being deleted has its instance deleted (ECI honours
 *       the grace period it was created with) and is then removed, checked by UID.
 * </ul>
 *
 * It writes only while {@code mayWrite} says so: losing the cluster's coordination Lease stops all
 * writes.
 */
public final class PodController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PodController.class);
  public static final String INSTANCE_ANNOTATION = "k8s.aliyun.com/eci-instance-id";

  private final KubernetesClient client;
  private final String nodeName;
  private final String clusterId;
  private final ContainerInstances eci;
  private final TranslationContext context;
  private final Supplier<EciProfile> profile;
  private final ScheduledExecutorService executor;
  private final Duration statusPeriod;
  private final BooleanSupplier mayWrite;
  private final PodEvents events;
  private final Map<String, String> instanceByPodUid = new ConcurrentHashMap<>();
  private SharedIndexInformer<Pod> pods;
  private KeyedQueue queue;
  private ScheduledFuture<?> statusLoop;

  public PodController(
      KubernetesClient client,
      TranslationContext context,
      ContainerInstances eci,
      ScheduledExecutorService executor,
      Duration statusPeriod,
      BooleanSupplier mayWrite,
      Supplier<EciProfile> profile) {
    this.client = client;
    this.profile = profile;
    this.nodeName = context.nodeName();
    this.clusterId = context.config().clusterId();
    this.eci = eci;
    this.context = context;
    this.executor = executor;
    this.statusPeriod = statusPeriod;
    this.mayWrite = mayWrite;
    this.events = new PodEvents(client, nodeName);
  }

  /** Starts watching the node's pods and polling their instances. */
  public void start() {
    queue =
        new KeyedQueue("syncPodsFromKubernetes", clusterId, executor, this::syncPodsFromKubernetes);
    pods =
        client
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", nodeName)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    queue.enqueue(Cache.metaNamespaceKeyFunc(pod));
                  }

                  @Override
                  public void onUpdate(Pod before, Pod after) {
                    queue.enqueue(Cache.metaNamespaceKeyFunc(after));
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {
                    instanceByPodUid.remove(pod.getMetadata().getUid());
                  }
                });
    statusLoop =
        executor.scheduleWithFixedDelay(
            this::pollSafely, 0, statusPeriod.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void syncPodsFromKubernetes(String key) {
    Pod pod = pods.getIndexer().getByKey(key);
    if (pod == null || !mayWrite.getAsBoolean()) {
      return;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      deletePodsFromKubernetes(pod);
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Failed".equals(phase)
        || "Succeeded".equals(phase)
        || instanceByPodUid.containsKey(pod.getMetadata().getUid())) {
      return;
    }
    String recorded = annotation(pod, INSTANCE_ANNOTATION);
    if (recorded != null) {
      // Created by an earlier owner: adopt it. The status poll fails the pod if the instance is
      // gone.
      instanceByPodUid.put(pod.getMetadata().getUid(), recorded);
      return;
    }
    createInstance(pod);
  }

  private static String annotation(Pod pod, String key) {
    var annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  private void createInstance(Pod pod) {
    Translation translation;
    try {
      translation = PodTranslator.translate(pod, references(), context.with(profile.get()));
    } catch (TranslationException e) {
      if (e.kind() == TranslationException.Kind.UNSUPPORTED) {
        fail(pod, e.podReason(), String.join("; ", e.reasons()));
        return;
      }
      events.warning(pod, e.podReason(), String.join("; ", e.reasons()));
      throw e;
    }
    translation.warnings().forEach(w -> events.warning(pod, "PartlyTranslated", w));
    String id;
    try {
      id = eci.create(translation.create());
    } catch (EciException e) {
      if (e.isRetryable()) {
        throw e;
      }
      fail(pod, "ProviderFailed", "ECI refused the instance: " + e.getMessage());
      return;
    }
    instanceByPodUid.put(pod.getMetadata().getUid(), id);
    events.normal(pod, "InstanceCreated", "ECI instance " + id + " created");
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToAnnotations(INSTANCE_ANNOTATION, id)
                    .endMetadata()
                    .build());
  }

  private void deletePodsFromKubernetes(Pod pod) {
    String uid = pod.getMetadata().getUid();
    String id = instanceByPodUid.get(uid);
    if (id == null) {
      id = annotation(pod, INSTANCE_ANNOTATION);
    }
    if (id != null) {
      eci.delete(id);
      events.normal(pod, "InstanceDeleted", "ECI instance " + id + " deleted");
    }
    instanceByPodUid.remove(uid);
    Pod current =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .get();
    if (current != null && uid.equals(current.getMetadata().getUid())) {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    }
  }

  private void pollSafely() {
    try {
      syncPodStatusFromProvider();
    } catch (RuntimeException e) {
      LOG.warn("status poll of cluster {} failed: {}", clusterId, e.toString());
    }
  }

  /** One batched describe of the cluster's instances, then every pod's status from it. */
  void syncPodStatusFromProvider() {
    if (pods == null || !pods.hasSynced() || !mayWrite.getAsBoolean()) {
      return;
    }
    List<Instance> instances = eci.describeByTag(InstanceTags.CLUSTER, clusterId);
    Map<String, Instance> byPodUid = new HashMap<>();
    instances.forEach(i -> byPodUid.put(i.tags().getOrDefault(InstanceTags.POD_UID, ""), i));
    Map<String, Pod> podsByUid = new HashMap<>();
    for (Pod pod : pods.getStore().list()) {
      podsByUid.put(pod.getMetadata().getUid(), pod);
      Instance instance = byPodUid.get(pod.getMetadata().getUid());
      if (instance != null) {
        instanceByPodUid.put(pod.getMetadata().getUid(), instance.id());
        if (pod.getMetadata().getDeletionTimestamp() == null) {
          updateStatus(pod, StatusMapper.podStatus(instance));
        }
      } else if (instanceByPodUid.containsKey(pod.getMetadata().getUid())
          && pod.getMetadata().getDeletionTimestamp() == null
          && !isFinal(pod)) {
        instanceByPodUid.remove(pod.getMetadata().getUid());
        fail(
            pod,
            "InstanceGone",
            "The pod's ECI instance no longer exists (deleted outside Kubernetes or reclaimed)");
      }
    }
    for (Instance instance : instances) {
      String uid = instance.tags().get(InstanceTags.POD_UID);
      boolean ours =
          clusterId.equals(instance.tags().get(InstanceTags.CLUSTER))
              && nodeName.equals(instance.tags().get(InstanceTags.NODE));
      if (ours && !podsByUid.containsKey(uid)) {
        LOG.info("deleting orphan instance {} of pod uid {}", instance.id(), uid);
        eci.delete(instance.id());
      }
    }
  }

  private void updateStatus(Pod pod, PodStatus status) {
    if (Objects.equals(fingerprint(pod.getStatus()), fingerprint(status))) {
      return;
    }
    PodStatus merged =
        new PodStatusBuilder(status)
            .withQosClass(pod.getStatus() == null ? null : pod.getStatus().getQosClass())
            .build();
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .editStatus(p -> new PodBuilder(p).withStatus(merged).build());
    } catch (KubernetesClientException e) {
      LOG.debug(
          "status of pod {}/{} not updated: {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          e.getMessage());
    }
  }

  private void fail(Pod pod, String reason, String message) {
    events.warning(pod, reason, message);
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p ->
                new PodBuilder(p)
                    .editOrNewStatus()
                    .withPhase("Failed")
                    .withReason(reason)
                    .withMessage(message)
                    .endStatus()
                    .build());
  }

  private static boolean isFinal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  /** What of a status is worth a write: phase, address, reason, and each container's state. */
  private static String fingerprint(PodStatus s) {
    if (s == null) {
      return "";
    }
    StringBuilder f =
        new StringBuilder()
            .append(s.getPhase())
            .append('|')
            .append(s.getPodIP())
            .append('|')
            .append(s.getReason());
    s.getContainerStatuses()
        .forEach(
            c ->
                f.append('|')
                    .append(c.getName())
                    .append(':')
                    .append(c.getReady())
                    .append(':')
                    .append(c.getRestartCount())
                    .append(':')
                    .append(c.getState()));
    return f.toString();
  }

  private References references() {
    return new References() {
      @Override
      public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
      }

      @Override
      public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
      }
    };
  }

  /** How many pods of the node the controller knows an instance for. */
  public int knownInstances() {
    return instanceByPodUid.size();
  }

  @Override
  public void close() {
    if (statusLoop != null) {
      statusLoop.cancel(false);
    }
    if (pods != null) {
      pods.close();
    }
  }
}
