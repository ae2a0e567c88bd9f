package io.eci.vnode.engine.selection;

import io.eci.vnode.engine.threads.EngineThreads;
import io.eci.vnode.engine.threads.Lane;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * How the cluster's selected pods reach the virtual node, by the eci-profile in force ({@link
 * ProfileWatcher}): the admission webhook's {@link AdmissionHandler} steers them as they are
 * created, and the {@link Binder} binds those no webhook or scheduler placed.
 */
public final class Steering implements AutoCloseable {

  private final ProfileWatcher profile;
  private final AdmissionHandler admission;
  private final Lane bindings;
  private final Binder binder;

  /**
   * @param mayWrite whether the engine acts for the cluster now; the binder binds only then
   * @param profileWork where the eci-profile's changes are read (the node's lane)
   * @param threads where the bindings run, on a lane of their own
   */
  public Steering(
      KubernetesClient client,
      String nodeName,
      String clusterId,
      BooleanSupplier mayWrite,
      Executor profileWork,
      EngineThreads threads) {
    this.profile = new ProfileWatcher(client, profileWork);
    this.admission = new AdmissionHandler(new NamespaceLabels(client), profile);
    this.bindings = threads.lane("bindSelectedPods/" + clusterId, 2);
    this.binder =
        new Binder(client, nodeName, clusterId, profile, mayWrite, bindings, Clock.systemUTC());
  }

  /** The eci-profile in force, kept up to date once started. */
  public ProfileWatcher profile() {
    return profile;
  }

  /** The cluster's admission handler; one per engine. */
  public AdmissionHandler admission() {
    return admission;
  }

  /** Watches the eci-profile. */
  public void start() {
    profile.start();
  }

  /** Binds selected pods while the engine acts for the cluster. */
  public void startBinding() {
    binder.start();
  }

  /** Stops binding and watching; bindings not started yet are dropped. */
  @Override
  public void close() {
    binder.close();
    profile.close();
    bindings.close();
  }
}
