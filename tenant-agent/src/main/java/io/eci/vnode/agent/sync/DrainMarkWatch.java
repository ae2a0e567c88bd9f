package io.eci.vnode.agent.sync;

import io.eci.vnode.agent.cache.ConfigCache;
import io.eci.vnode.agent.engine.EngineSupervisor;
import io.eci.vnode.agent.settings.AgentSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Watches the cache Secret for the drain mark: an uninstall's drain runs while the agent still
 * does, and must not have the agent's engine make instances or the node again behind it. Marked,
 * the engine closes (and gives up the ownership Lease) within a watch event.
 */
@ApplicationScoped
public class DrainMarkWatch {

  private final KubernetesClient client;
  private final AgentSettings settings;
  private final EngineSupervisor supervisor;
  private SharedIndexInformer<Secret> informer;

  DrainMarkWatch(KubernetesClient client, AgentSettings settings, EngineSupervisor supervisor) {
    this.client = client;
    this.settings = settings;
    this.supervisor = supervisor;
  }

  /** Starts watching, at once; the informer retries on its own while the API server fails. */
  public synchronized void start() {
    informer =
        client
            .secrets()
            .inNamespace(settings.namespace())
            .withName(ConfigCache.NAME)
            .runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Secret secret) {
            supervisor.draining(ConfigCache.draining(secret));
          }

          @Override
          public void onUpdate(Secret before, Secret secret) {
            supervisor.draining(ConfigCache.draining(secret));
          }

          @Override
          public void onDelete(Secret secret, boolean unknownFinalState) {
            // A drain deletes the Secret last: the engine stays closed until a restart.
          }
        });
    informer.start();
  }

  @PreDestroy
  synchronized void stop() {
    if (informer != null) {
      informer.close();
    }
  }
}
