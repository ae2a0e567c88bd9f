package io.eci.vnode.service.webhook;

import io.eci.vnode.engine.selection.Selection;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * The MutatingWebhookConfiguration a managed cluster gets: pod creations that carry the ECI label,
 * or happen in a namespace that does, are sent to this service, which steers them to the virtual
 * node. Narrowed by selectors so unrelated pods never call us; what happens to a selected pod while
 * the service cannot be called is the configured {@link FailurePolicy}.
 */
public final class Webhooks {

  /** The configuration's name in every managed cluster. */
  public static final String NAME = "eci-virtual-node";

  /** The API server's {@code failurePolicy}: what it does when the webhook cannot be called. */
  public enum FailurePolicy {
    /** Refuse the pod: it is never created unsteered. */
    Fail,
    /** Create the pod unsteered. */
    Ignore
  }

  /**
   * Where and how clusters call the webhook.
   *
   * @param baseUrl the https address of this service as clusters reach it
   * @param caBundle the PEM authority of its certificate, when not a publicly trusted one
   */
  public record Settings(String baseUrl, Optional<String> caBundle, FailurePolicy failurePolicy) {

    /**
     * The settings of a configured webhook, or none when no base URL is set.
     *
     * @param caFile a PEM file with the authority of the webhook's certificate, if not public
     * @throws IllegalStateException when the CA file cannot be read or holds no certificate
     */
    public static Optional<Settings> of(
        Optional<String> baseUrl, Optional<Path> caFile, FailurePolicy failurePolicy) {
      return baseUrl.map(
          base -> new Settings(base, caFile.map(Webhooks::readCaBundle), failurePolicy));
    }
  }

  private Webhooks() {}

  private static String readCaBundle(Path file) {
    String pem;
    try {
      pem = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(
          "vnode.hosting.webhook-ca-file " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new IllegalStateException(
          "vnode.hosting.webhook-ca-file " + file + " holds no PEM certificate");
    }
    return pem;
  }

  /** The path at which the service answers this cluster's API server when it shows its secret. */
  static String path(UUID clusterId, String secret) {
    return "/webhook/v1/clusters/" + clusterId + "/" + secret + "/mutate";
  }

  /**
   * Creates or replaces the cluster's webhook configuration, so a configuration installed with
   * another URL (an older release's, or one derived under a retired key) is brought up to date.
   *
   * @param secret the cluster's {@link WebhookSecrets#of webhook secret}, part of the URL
   */
  public static void install(
      KubernetesClient client, UUID clusterId, String secret, Settings settings) {
    String url = settings.baseUrl().replaceAll("/+$", "") + path(clusterId, secret);
    LabelSelector labelled =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey(Selection.ECI_LABEL)
            .withOperator("In")
            .withValues("true")
            .endMatchExpression()
            .build();
    MutatingWebhookConfiguration config =
        new MutatingWebhookConfigurationBuilder()
            .withNewMetadata()
            .withName(NAME)
            .addToLabels("app.kubernetes.io/managed-by", "eci-virtual-node-service")
            .endMetadata()
            .withWebhooks(
                webhook("pods.eci-virtual-node.io", url, settings)
                    .withObjectSelector(labelled)
                    .build(),
                webhook("namespaces.eci-virtual-node.io", url, settings)
                    .withNamespaceSelector(labelled)
                    .build())
            .build();
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(config)
        .createOr(NonDeletingOperation::update);
  }

  /** Removes the cluster's webhook configuration, if it is there. */
  public static void remove(KubernetesClient client) {
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(NAME).delete();
  }

  private static MutatingWebhookBuilder webhook(String name, String url, Settings settings) {
    return new MutatingWebhookBuilder()
        .withName(name)
        .withNewClientConfig()
        .withUrl(url)
        .withCaBundle(settings.caBundle().map(Webhooks::base64).orElse(null))
        .endClientConfig()
        .addNewRule()
        .withApiGroups("")
        .withApiVersions("v1")
        .withOperations("CREATE")
        .withResources("pods")
        .withScope("Namespaced")
        .endRule()
        .withFailurePolicy(settings.failurePolicy().name())
        .withSideEffects("None")
        .withAdmissionReviewVersions("v1")
        .withTimeoutSeconds(5)
        .withReinvocationPolicy("Never");
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }
}
