package io.eci.vnode.agent.webhook;

import io.eci.vnode.agent.state.AgentState;
import io.eci.vnode.engine.node.OutageLog;
import io.eci.vnode.engine.selection.Selection;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's MutatingWebhookConfiguration {@value #NAME} while the agent runs the virtual node:
 * the service's (same name, selectors and failure policy), pointed at the agent's in-cluster
 * Service with the agent's caBundle. The service installs its own under the same name in managed
 * mode, so the agent removes only one it labelled as its own.
 */
@ApplicationScoped
public class WebhookRegistration {

  /** The configuration's name, the same as the service's. */
  public static final String NAME = "eci-virtual-node";

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String AGENT = "eci-virtual-node-agent";

  // As the service's default: a selected pod is never created unsteered.
  static final String FAILURE_POLICY = "Fail";

  private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistration.class);

  private final KubernetesClient client;
  private final WebhookEndpoint endpoint;
  private final AgentState state;

  WebhookRegistration(KubernetesClient client, WebhookEndpoint endpoint, AgentState state) {
    this.client = client;
    this.endpoint = endpoint;
    this.state = state;
  }

  /**
   * Creates or replaces the configuration; a failure is reported, never thrown. Not while the
   * server does not listen: with failurePolicy Fail the API server would refuse every labelled pod.
   */
  public void install() {
    if (!endpoint.isListening()) {
      return;
    }
    try {
      client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .resource(
              configuration(
                  endpoint.service(), endpoint.directUrl(), endpoint.certificate().authority()))
          .createOr(NonDeletingOperation::update);
      state.apiServerProblem(null);
    } catch (RuntimeException e) {
      // The binder places selected pods without it.
      state.apiServerProblem("the webhook configuration could not be installed: " + e.getMessage());
      LOG.warn("webhook configuration {} not installed: {}", NAME, OutageLog.describe(e));
    }
  }

  /** Removes the configuration if the agent installed it; one of the service's stays. */
  public void removeIfOurs() {
    try {
      var resource =
          client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(NAME);
      MutatingWebhookConfiguration current = resource.get();
      if (isOurs(current)) {
        resource.delete();
      }
    } catch (RuntimeException e) {
      LOG.warn("webhook configuration {} not removed: {}", NAME, OutageLog.describe(e));
    }
  }

  /** Whether the configuration is one an agent installed. */
  public static boolean isOurs(MutatingWebhookConfiguration configuration) {
    if (configuration == null) {
      return false;
    }
    Map<String, String> labels = configuration.getMetadata().getLabels();
    return labels != null && AGENT.equals(labels.get(MANAGED_BY));
  }

  /**
   * The configuration pointing at {@code service}, trusting the PEM {@code authority}. A Service
   * reference rather than its {@code https://<name>.<namespace>.svc} URL: the same address, but the
   * API server resolves it itself, where it often cannot resolve the cluster's DNS names.
   */
  static MutatingWebhookConfiguration configuration(
      WebhookEndpoint.ServiceAddress service, Optional<String> url, String authority) {
    LabelSelector labelled =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey(Selection.ECI_LABEL)
            .withOperator("In")
            .withValues("true")
            .endMatchExpression()
            .build();
    String caBundle =
        Base64.getEncoder().encodeToString(authority.getBytes(StandardCharsets.UTF_8));
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(NAME)
        .addToLabels(MANAGED_BY, AGENT)
        .endMetadata()
        .withWebhooks(
            webhook("pods.eci-virtual-node.io", service, url, caBundle)
                .withObjectSelector(labelled)
                .build(),
            webhook("namespaces.eci-virtual-node.io", service, url, caBundle)
                .withNamespaceSelector(labelled)
                .build())
        .build();
  }

  private static MutatingWebhookBuilder webhook(
      String name, WebhookEndpoint.ServiceAddress service, Optional<String> url, String caBundle) {
    WebhookClientConfig client =
        url.map(u -> new WebhookClientConfigBuilder().withUrl(u))
            .orElseGet(
                () ->
                    new WebhookClientConfigBuilder()
                        .withNewService()
                        .withName(service.name())
                        .withNamespace(service.namespace())
                        .withPort(service.port())
                        .withPath(WebhookEndpoint.PATH)
                        .endService())
            .withCaBundle(caBundle)
            .build();
    return new MutatingWebhookBuilder()
        .withName(name)
        .withClientConfig(client)
        .addNewRule()
        .withApiGroups("")
        .withApiVersions("v1")
        .withOperations("CREATE")
        .withResources("pods")
        .withScope("Namespaced")
        .endRule()
        .withFailurePolicy(FAILURE_POLICY)
        .withSideEffects("None")
        .withAdmissionReviewVersions("v1")
        .withTimeoutSeconds(5)
        .withReinvocationPolicy("Never");
  }
}
