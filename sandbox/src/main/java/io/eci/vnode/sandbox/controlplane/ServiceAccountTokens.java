package io.eci.vnode.sandbox.controlplane;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ServiceAccount tokens the controller-manager fills into Secrets of type {@code
 * kubernetes.io/service-account-token} (Kubernetes 1.20: one per ServiceAccount, named in its
 * {@code secrets}), read as a person reads them with {@code kubectl get secret}.
 */
final class ServiceAccountTokens {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TOKEN_TYPE = "kubernetes.io/service-account-token";

  private final KubernetesClient client;

  ServiceAccountTokens(KubernetesClient client) {
    this.client = client;
  }

  /** The token of ServiceAccount {@code namespace/name}, waiting at most 30 s for it. */
  Credentials.Token await(String namespace, String name) {
    return await(
        namespace + "/" + name,
        "system:serviceaccount:" + namespace + ":" + name,
        () -> of(namespace, name));
  }

  /** The token in Secret {@code namespace/secret}, waiting at most 30 s for it. */
  Credentials.Token awaitInSecret(String namespace, String secret) {
    return await(
        namespace + "/" + secret,
        "the ServiceAccount of Secret " + namespace + "/" + secret,
        () -> token(client.secrets().inNamespace(namespace).withName(secret).get()));
  }

  /** The token of ServiceAccount {@code namespace/name}, if the controller-manager made it yet. */
  Optional<String> of(String namespace, String name) {
    ServiceAccount account = client.serviceAccounts().inNamespace(namespace).withName(name).get();
    if (account == null || account.getSecrets() == null) {
      return Optional.empty();
    }
    return account.getSecrets().stream()
        .map(r -> client.secrets().inNamespace(namespace).withName(r.getName()).get())
        .map(ServiceAccountTokens::token)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Credentials.Token await(
      String what, String user, Supplier<Optional<String>> token) {
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      Optional<String> found = token.get();
      if (found.isPresent()) {
        return new Credentials.Token(user, found.get());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "no ServiceAccount token for " + what + " after " + WAIT.toSeconds() + " s");
      }
      pause(Duration.ofMillis(200));
    }
  }

  private static Optional<String> token(Secret secret) {
    if (secret == null
        || !TOKEN_TYPE.equals(secret.getType())
        || secret.getData() == null
        || !secret.getData().containsKey("token")) {
      return Optional.empty();
    }
    return Optional.of(
        new String(
            Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8));
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a ServiceAccount token", e);
    }
  }
}
