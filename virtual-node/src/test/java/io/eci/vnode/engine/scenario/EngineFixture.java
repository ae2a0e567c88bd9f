package io.eci.vnode.engine.scenario;

import io.eci.vnode.engine.VirtualNode;
import io.eci.vnode.sandbox.Cluster;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every scenario runs against, new for each test: a cluster ({@link Cluster#forTests}: the
 * stand-in, or a real API server with {@code -Dvnode.test.cluster=control-plane}), the ECI sandbox,
 * the namespaces the test names and, when asked for, an engine started on them. Everything is
 * closed after the test, engine first, and also when the cluster is not available and the test is
 * skipped. Registered as an instance field: {@code @RegisterExtension final EngineFixture fixture =
 * EngineFixture.create()...}.
 */
final class EngineFixture implements BeforeEachCallback, AfterEachCallback {

  private Supplier<EciSandbox> sandbox = Engines::eci;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Consumer<KubernetesClient>> setUps = new ArrayList<>();
  private Optional<List<String>> engineVSwitches = Optional.empty();
  private Cluster cluster;
  private EciSandbox eci;
  private VirtualNode node;
  private final List<VirtualNode> others = new ArrayList<>();

  private EngineFixture() {}

  /** A cluster and the ECI sandbox with vSwitches in zones a and b, and no engine. */
  static EngineFixture create() {
    return new EngineFixture();
  }

  /** The ECI sandbox this scenario needs instead of the default one. */
  EngineFixture eci(Supplier<EciSandbox> sandbox) {
    this.sandbox = sandbox;
    return this;
  }

  /** A namespace made before each test. */
  EngineFixture namespace(String name) {
    namespaces.add(name);
    return this;
  }

  /** Something the cluster holds before the engine starts (a Service, the eci-profile). */
  EngineFixture given(Consumer<KubernetesClient> setUp) {
    setUps.add(setUp);
    return this;
  }

  /** An engine ({@code engine-a}) on these vSwitches, started before each test: {@link #node()}. */
  EngineFixture engine(List<String> vSwitches) {
    engineVSwitches = Optional.of(vSwitches);
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    cluster = Cluster.forTests(context.getRequiredTestClass().getSimpleName());
    eci = sandbox.get();
    for (String name : namespaces) {
      client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
    setUps.forEach(setUp -> setUp.accept(client()));
    engineVSwitches.ifPresent(vSwitches -> node = startEngine(vSwitches));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    // Fields stay null when the cluster is not available and the test is skipped.
    try (Cluster c = cluster;
        EciSandbox e = eci;
        VirtualNode n = node) {
      others.forEach(VirtualNode::close);
    }
  }

  /** The cluster. */
  Cluster cluster() {
    return cluster;
  }

  /** The cluster's shared client. */
  KubernetesClient client() {
    return cluster.client();
  }

  /** The ECI sandbox. */
  EciSandbox eci() {
    return eci;
  }

  /** The engine started before the test. */
  VirtualNode node() {
    return node;
  }

  /** An engine the test started itself, closed after it with the rest. */
  VirtualNode closeAfter(VirtualNode engine) {
    others.add(engine);
    return engine;
  }

  /**
   * Closes the engine and starts a new one with the same settings, e.g. after changing the cluster.
   */
  VirtualNode restartEngine() {
    node.close();
    node = startEngine(engineVSwitches.orElseThrow());
    return node;
  }

  private VirtualNode startEngine(List<String> vSwitches) {
    return Engines.engine(client(), eci, "engine-a", vSwitches).start();
  }
}
