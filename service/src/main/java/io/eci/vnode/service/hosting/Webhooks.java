package io.eci.vnode.service.hosting;

import io.eci.vnode.engine.selection.Selection;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.UUID;

/**
 * The MutatingWebhookConfiguration a managed cluster gets: pod creations that carry the ECI label,
 * or happen in a namespace that does, are sent to this service, which steers them to the virtual
 * node. Narrowed by selectors so unrelated pods never call us, and {@code failurePolicy: Ignore} so
 * an unreachable service never blocks a pod (the binder places selected pods anyway).
 */
final class Webhooks {

  /** The configuration's name in every managed cluster. */
  static final String NAME = "eci-virtual-node";

  private Webhooks() {}

  /** The path at which the service answers for this cluster. */
  static String path(UUID clusterId) {
    return "/webhook/v1/clusters/" + clusterId + "/mutate";
  }

  /** Creates or updates the cluster's webhook configuration. */
  static void install(KubernetesClient client, UUID clusterId, String baseUrl) {
    String url = baseUrl.replaceAll("/+$", "") + path(clusterId);
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
                webhook("pods.eci-virtual-node.io", url).withObjectSelector(labelled).build(),
                webhook("namespaces.eci-virtual-node.io", url)
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
  static void remove(KubernetesClient client) {
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(NAME).delete();
  }

  private static MutatingWebhookBuilder webhook(String name, String url) {
    return new MutatingWebhookBuilder()
        .withName(name)
        .withNewClientConfig()
        .withUrl(url)
        .endClientConfig()
        .addNewRule()
        .withApiGroups("")
        .withApiVersions("v1")
        .withOperations("CREATE")
        .withResources("pods")
        .withScope("Namespaced")
        .endRule()
        .withFailurePolicy("Ignore")
        .withSideEffects("None")
        .withAdmissionReviewVersions("v1")
        .withTimeoutSeconds(5)
        .withReinvocationPolicy("Never");
  }
}
