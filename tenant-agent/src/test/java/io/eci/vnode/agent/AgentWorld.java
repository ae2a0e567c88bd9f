package io.eci.vnode.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eci.vnode.agent.cache.ConfigCache;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.eci.vnode.sandbox.kube.KubeSandbox;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What the agent runs against in the ITs: the sandbox's Kubernetes API stand-in (its kubeconfig in
 * {@code agent.kubeconfig}), the sandbox's ECI (through the real SDK, {@code agent.eci.endpoint})
 * and a stand-in of the service's agent API serving an unmanaged configuration. With the argument
 * {@code service=down} the agent API is not listening when the agent starts, and the cluster holds
 * a cached configuration instead.
 */
public class AgentWorld implements QuarkusTestResourceLifecycleManager {

  static final String CLUSTER_ID = "5b0c8f3e-0c59-4f6e-9d5e-0a6f5d2c7a11";
  static final String TOKEN = "vna_test-token-of-the-cluster";
  static final String REPLICA = "vnode-agent-0";
  static final String NAMESPACE = "kube-system";
  static final String KEY = "LTAIagentKey";
  static final String SECRET = "agent-key-secret";

  private static final ObjectMapper JSON = new ObjectMapper();

  static KubeSandbox kube;
  static EciSandbox eci;
  static AgentApiStandIn service;
  static int servicePort;

  /** The Secret holding the ECI keys with the argument {@code credentials=cluster-secret}. */
  static final String CREDENTIALS_SECRET = "eci-credentials";

  private boolean serviceDown;
  private boolean clusterSecret;
  private boolean missingCertificate;

  @Override
  public void init(Map<String, String> args) {
    serviceDown = "down".equals(args.get("service"));
    clusterSecret = "cluster-secret".equals(args.get("credentials"));
    missingCertificate = "missing".equals(args.get("webhook-cert"));
  }

  @Override
  public Map<String, String> start() {
    kube = KubeSandbox.start();
    eci =
        EciSandbox.builder()
            .accessKey(KEY, SECRET)
            .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/16")
            .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/16")
            .instantProvisioning()
            .start();
    ObjectNode first = unmanaged(1);
    if (clusterSecret) {
      // The registration says the cluster's own Secret holds them: the service sends none.
      first.putObject("eci");
      credentialsSecret(SECRET);
    }
    service = new AgentApiStandIn(TOKEN, first);
    if (serviceDown) {
      servicePort = freePort();
      cache(unmanaged(1));
    } else {
      servicePort = service.start(0);
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("agent-it");
      Files.writeString(dir.resolve("token"), TOKEN + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> config = new HashMap<>();
    config.put("agent.service-url", "http://127.0.0.1:" + servicePort);
    config.put("agent.token-file", dir.resolve("token").toString());
    config.put("agent.cluster-id", CLUSTER_ID);
    config.put("agent.namespace", NAMESPACE);
    config.put("agent.replica", REPLICA);
    config.put("agent.kubeconfig", kube.writeKubeconfig(dir.resolve("kubeconfig")).toString());
    config.put("agent.eci.endpoint", eci.endpoint());
    config.put("agent.webhook.port", "0");
    if (clusterSecret) {
      config.put("agent.eci.credentials-secret", CREDENTIALS_SECRET);
    }
    if (missingCertificate) {
      config.put("agent.webhook.cert-secret", "a-tls-secret-nobody-made");
    }
    return config;
  }

  /** The unmanaged configuration of the cluster at {@code version}, as the service gives it. */
  static ObjectNode unmanaged(long version) {
    ObjectNode config =
        JSON.createObjectNode()
            .put("clusterId", CLUSTER_ID)
            .put("version", version)
            .put("mode", "unmanaged")
            .put("paused", false)
            .put("region", "cn-hangzhou")
            .put("securityGroupId", "sg-agent")
            .put("kubeProxy", true)
            .put("statusPeriodMillis", 300)
            .put("heartbeatSeconds", 1);
    config.putArray("vSwitchIds").add("vsw-b");
    config
        .putObject("eci")
        .putObject("credentials")
        .put("type", "accessKey")
        .put("accessKeyId", KEY)
        .put("accessKeySecret", SECRET);
    return config;
  }

  /** Puts the cache Secret in the cluster, as an agent that ran before left it. */
  private static void cache(ObjectNode config) {
    kube.client()
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(ConfigCache.NAME)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToData(ConfigCache.KEY, base64(config.toString()))
                .build())
        .create();
  }

  /**
   * Creates or replaces the cluster's ECI credentials Secret with the agent's key and {@code
   * secret}.
   */
  static void credentialsSecret(String secret) {
    kube.client()
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(CREDENTIALS_SECRET)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToData("accessKeyId", base64(KEY))
                .addToData("accessKeySecret", base64(secret))
                .build())
        .createOr(o -> o.update());
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (service != null) {
      service.close();
    }
    if (eci != null) {
      eci.close();
    }
    if (kube != null) {
      kube.close();
    }
  }
}
