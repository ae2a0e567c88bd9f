package io.eci.vnode.engine.translate;

import static io.eci.vnode.engine.translate.Pods.CONTEXT;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.translate.Pods.FakeReferences;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service environment variables every container gets, as from a kubelet. */
class ServiceEnvTest {

  private final FakeReferences references =
      new FakeReferences()
          .with(service("default", "kubernetes", "10.96.0.1", "https", 443, "TCP"))
          .with(service("default", "other", "10.96.0.7", null, 80, "TCP"));

  @Test
  void aServiceOfThePodsNamespaceGivesItsHostPortAndLinkVariables() {
    Service db =
        new ServiceBuilder(service("shop", "order-db", "10.96.3.4", "sql", 5432, "TCP"))
            .editSpec()
            .addNewPort()
            .withName("metrics")
            .withPort(9187)
            .withProtocol("UDP")
            .endPort()
            .endSpec()
            .build();
    references.with(db);

    Map<String, String> env = env(Pods.nginx().build());

    assertThat(env)
        .containsEntry("ORDER_DB_SERVICE_HOST", "10.96.3.4")
        .containsEntry("ORDER_DB_SERVICE_PORT", "5432")
        .containsEntry("ORDER_DB_SERVICE_PORT_SQL", "5432")
        .containsEntry("ORDER_DB_SERVICE_PORT_METRICS", "9187")
        .containsEntry("ORDER_DB_PORT", "tcp://10.96.3.4:5432")
        .containsEntry("ORDER_DB_PORT_5432_TCP", "tcp://10.96.3.4:5432")
        .containsEntry("ORDER_DB_PORT_5432_TCP_PROTO", "tcp")
        .containsEntry("ORDER_DB_PORT_5432_TCP_PORT", "5432")
        .containsEntry("ORDER_DB_PORT_5432_TCP_ADDR", "10.96.3.4")
        .containsEntry("ORDER_DB_PORT_9187_UDP", "udp://10.96.3.4:9187")
        .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
        .containsEntry("KUBERNETES_SERVICE_PORT", "443")
        .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443");
  }

  @Test
  void servicesOfOtherNamespacesAndServicesWithoutAClusterIpGiveNone() {
    references
        .with(service("shop", "headless", "None", null, 80, "TCP"))
        .with(service("shop", "pending", "", null, 80, "TCP"));

    Map<String, String> env = env(Pods.nginx().build());

    assertThat(env.keySet())
        .noneMatch(k -> k.startsWith("OTHER_"))
        .noneMatch(k -> k.startsWith("HEADLESS_"))
        .noneMatch(k -> k.startsWith("PENDING_"));
  }

  @Test
  void anIpv6ServiceAddressIsBracketedInLinkUrls() {
    references.with(service("shop", "cart", "fd00::5", null, 8080, "TCP"));

    Map<String, String> env = env(Pods.nginx().build());

    assertThat(env)
        .containsEntry("CART_SERVICE_HOST", "fd00::5")
        .containsEntry("CART_PORT", "tcp://[fd00::5]:8080")
        .containsEntry("CART_PORT_8080_TCP_ADDR", "fd00::5");
  }

  @Test
  void withoutServiceLinksOnlyTheApiServersServiceIsThere() {
    references.with(service("shop", "cart", "10.96.5.5", null, 8080, "TCP"));

    Map<String, String> env =
        env(Pods.nginx().editSpec().withEnableServiceLinks(false).endSpec().build());

    assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    assertThat(env.keySet()).noneMatch(k -> k.startsWith("CART_"));
  }

  @Test
  void aVariableTheContainerDefinesWinsOverTheServiceOne() {
    references.with(service("shop", "cart", "10.96.5.5", null, 8080, "TCP"));

    Map<String, String> env =
        env(
            Pods.nginx()
                .editSpec()
                .editFirstContainer()
                .addNewEnv()
                .withName("CART_SERVICE_HOST")
                .withValue("cart.example")
                .endEnv()
                .endContainer()
                .endSpec()
                .build());

    assertThat(env)
        .containsEntry("CART_SERVICE_HOST", "cart.example")
        .containsEntry("CART_SERVICE_PORT", "8080");
  }

  private Map<String, String> env(Pod pod) {
    Map<String, String> q =
        PodTranslatorTest.wire(PodTranslator.translate(pod, references, CONTEXT));
    Map<String, String> env = new HashMap<>();
    for (int i = 1; q.containsKey("Container.1.EnvironmentVar." + i + ".Key"); i++) {
      String key = q.get("Container.1.EnvironmentVar." + i + ".Key");
      assertThat(env).as("each name once").doesNotContainKey(key);
      env.put(key, q.get("Container.1.EnvironmentVar." + i + ".Value"));
    }
    return env;
  }

  private static Service service(
      String namespace, String name, String clusterIp, String portName, int port, String protocol) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withClusterIP(clusterIp)
        .addNewPort()
        .withName(portName)
        .withPort(port)
        .withProtocol(protocol)
        .endPort()
        .endSpec()
        .build();
  }
}
