package io.eci.vnode.agent.webhook;

import io.eci.vnode.agent.settings.AgentSettings;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Where the API server calls the agent's webhook ({@code https://<service>.<namespace>.svc:<port>})
 * and with which certificate: the TLS Secret {@code agent.webhook.cert-secret}, else a self-signed
 * one made once per process.
 */
@ApplicationScoped
public class WebhookEndpoint {

  /** The path the webhook answers AdmissionReviews at. */
  public static final String PATH = "/webhook/v1/mutate";

  private final AgentSettings settings;
  private final KubernetesClient client;
  private WebhookCertificate certificate;
  private volatile int port;
  private volatile boolean listening;

  WebhookEndpoint(AgentSettings settings, KubernetesClient client) {
    this.settings = settings;
    this.client = client;
    this.port = settings.config().webhook().port();
  }

  /**
   * The certificate to serve.
   *
   * @throws IllegalStateException when the configured TLS Secret is missing or incomplete
   */
  public synchronized WebhookCertificate certificate() {
    if (certificate == null) {
      certificate =
          settings.config().webhook().certSecret().map(this::fromSecret).orElseGet(this::made);
    }
    return certificate;
  }

  /** The port the server listens on, once it does. */
  void listening(int actualPort) {
    this.port = actualPort;
    this.listening = true;
  }

  /** Whether the server listens: only then may a webhook configuration point at it. */
  public boolean isListening() {
    return listening;
  }

  /** The in-cluster Service the API server calls the webhook through. */
  public record ServiceAddress(String name, String namespace, int port) {}

  /** The Service the webhook configuration points the API server at. */
  public ServiceAddress service() {
    return new ServiceAddress(
        settings.config().webhook().serviceName(), settings.webhookNamespace(), port);
  }

  /**
   * The URL the API server calls instead of the Service ({@code agent.webhook.url}), if one is set.
   */
  public Optional<String> directUrl() {
    return settings.config().webhook().url().map(u -> u.toString().replaceAll("/+$", "") + PATH);
  }

  /** {@code https://<service>.<namespace>.svc:<port>/webhook/v1/mutate}, for readers. */
  public String url() {
    return directUrl().orElse("https://" + host() + ":" + port + PATH);
  }

  private String host() {
    return settings.config().webhook().serviceName() + "." + settings.webhookNamespace() + ".svc";
  }

  private WebhookCertificate made() {
    String service = settings.config().webhook().serviceName();
    String namespace = settings.webhookNamespace();
    List<String> names = new ArrayList<>();
    names.add(host());
    names.add(service);
    names.add(service + "." + namespace);
    names.add(service + "." + namespace + ".svc.cluster.local");
    settings.config().webhook().url().map(java.net.URI::getHost).ifPresent(names::add);
    return WebhookCertificate.selfSigned(names);
  }

  private WebhookCertificate fromSecret(String name) {
    Secret secret = client.secrets().inNamespace(settings.namespace()).withName(name).get();
    Optional<String> crt = decode(secret, "tls.crt");
    Optional<String> key = decode(secret, "tls.key");
    Optional<String> ca = decode(secret, "ca.crt");
    if (crt.isEmpty() || key.isEmpty() || ca.isEmpty()) {
      throw new IllegalStateException(
          "the webhook TLS Secret "
              + settings.namespace()
              + "/"
              + name
              + " (agent.webhook.cert-secret) needs tls.crt, tls.key and ca.crt");
    }
    return new WebhookCertificate(crt.get(), key.get(), ca.get());
  }

  private static Optional<String> decode(Secret secret, String key) {
    if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
      return Optional.empty();
    }
    return Optional.of(
        new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8));
  }
}
