package io.eci.vnode.engine.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's list of permissions and the manifest owners apply say the same. */
class PermissionsTest {

  private static final Path MANIFEST = Path.of("..", "deploy", "cluster", "eci-virtual-node.yaml");

  @Test
  void theManifestGrantsEveryPermissionTheEngineChecks() throws IOException {
    List<HasMetadata> objects = manifest();
    ClusterRole cluster =
        objects.stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .findFirst()
            .orElseThrow();
    List<Role> roles =
        objects.stream().filter(Role.class::isInstance).map(Role.class::cast).toList();

    for (Permissions.Permission p : Permissions.REQUIRED) {
      boolean granted =
          grants(cluster.getRules(), p)
              || (!p.namespace().isEmpty()
                  && roles.stream()
                      .filter(r -> p.namespace().equals(r.getMetadata().getNamespace()))
                      .anyMatch(r -> grants(r.getRules(), p)));
      assertThat(granted).as("the manifest grants %s", p).isTrue();
    }
  }

  @Test
  void aPermissionReadsAsItIsAsked() {
    assertThat(new Permissions.Permission("patch", "", "pods/status", "", "").toString())
        .isEqualTo("patch pods/status");
    assertThat(
            new Permissions.Permission(
                    "update", "coordination.k8s.io", "leases", "kube-system", "owner")
                .toString())
        .isEqualTo("update leases.coordination.k8s.io owner in kube-system");
  }

  private static boolean grants(List<PolicyRule> rules, Permissions.Permission p) {
    return rules.stream()
        .anyMatch(
            r ->
                r.getVerbs().contains(p.verb())
                    && r.getApiGroups().contains(p.group())
                    && r.getResources().contains(p.resource())
                    && (r.getResourceNames().isEmpty()
                        || (!p.name().isEmpty() && r.getResourceNames().contains(p.name()))));
  }

  private static List<HasMetadata> manifest() throws IOException {
    try (InputStream in = Files.newInputStream(MANIFEST)) {
      Object parsed = new KubernetesSerialization().unmarshal(in);
      @SuppressWarnings("unchecked")
      List<HasMetadata> objects = (List<HasMetadata>) parsed;
      return objects;
    }
  }
}
