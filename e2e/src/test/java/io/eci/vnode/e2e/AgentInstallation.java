package io.eci.vnode.e2e;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.eci.vnode.sandbox.controlplane.Credentials;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The agent's identity in the cluster exactly as its Helm chart makes it: the chart rendered by
 * Helm itself, and its ServiceAccount, Roles and bindings applied to the API server; the agent then
 * runs as a process outside the cluster with that ServiceAccount's token, so every call it makes is
 * authorized by the chart's RBAC and nothing else.
 */
final class AgentInstallation {

  static final String NAMESPACE = "kube-system";
  private static final Path CHART =
      Product.projectRoot().resolve("deploy/helm/eci-virtual-node-agent");
  private static final List<Class<? extends HasMetadata>> IDENTITY =
      List.of(
          ServiceAccount.class,
          ClusterRole.class,
          ClusterRoleBinding.class,
          Role.class,
          RoleBinding.class);

  private AgentInstallation() {}

  /**
   * Renders the chart for the product's cluster, applies its identity (not the Deployment: the
   * agent runs as a process here) and returns a kubeconfig with the agent's ServiceAccount token.
   */
  static Path install(Product product, String serviceUrl, Path kubeconfig) {
    TemplateCommand template =
        new Helm(CHART).template().withName("eci-virtual-node-agent").withNamespace(NAMESPACE);
    Map.of(
            "serviceUrl",
            serviceUrl,
            "clusterId",
            product.clusterId(),
            "token",
            "the token is handed to the process directly")
        .forEach(template::set);
    String rendered = template.call();
    List<HasMetadata> objects =
        product
            .kube()
            .load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8)))
            .items();
    String account = null;
    for (HasMetadata object : objects) {
      if (IDENTITY.stream().anyMatch(kind -> kind.isInstance(object))) {
        if (object instanceof ServiceAccount) {
          account = object.getMetadata().getName();
        }
        // Each where the chart puts it: the node Leases' Role lives in kube-node-lease.
        String namespace = object.getMetadata().getNamespace();
        if (namespace == null
            && !(object instanceof ClusterRole)
            && !(object instanceof ClusterRoleBinding)) {
          object.getMetadata().setNamespace(NAMESPACE);
        }
        product.kube().resource(object).createOrReplace();
      }
    }
    if (account == null) {
      throw new IllegalStateException("the chart renders no ServiceAccount:\n" + rendered);
    }
    String secret = account + "-e2e-token";
    product
        .kube()
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(secret)
                .addToAnnotations("kubernetes.io/service-account.name", account)
                .endMetadata()
                .withType("kubernetes.io/service-account-token")
                .build())
        .createOrReplace();
    Credentials.Token token = product.cluster().tokenInSecret(NAMESPACE, secret);
    return product.cluster().writeKubeconfig(kubeconfig, token);
  }
}
