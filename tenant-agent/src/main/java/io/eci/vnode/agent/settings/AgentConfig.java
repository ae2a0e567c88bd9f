package io.eci.vnode.agent.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** The agent's settings: how it reaches its control service, its cluster and ECI. */
@ConfigMapping(prefix = "agent")
public interface AgentConfig {

  /** The control service's base URL, e.g. {@code https://vnode.example.com}. */
  Optional<URI> serviceUrl();

  /** A file holding the agent token ({@code vna_...}) the service issued; the chart mounts it. */
  Optional<Path> tokenFile();

  /** The id of this cluster's registration in the control service. */
  Optional<String> clusterId();

  /**
   * The agent's own namespace; default: the ServiceAccount's namespace file, else {@code
   * kube-system}.
   */
  Optional<String> namespace();

  /** This replica's name (its pod's name); default: the host name. */
  Optional<String> replica();

  /** A kubeconfig file to reach the API server with; default: the pod's ServiceAccount. */
  Optional<Path> kubeconfig();

  /** {@code run} (the default) or {@code drain}, which removes everything the agent made. */
  @WithDefault("run")
  Mode mode();

  /** How ECI is reached. */
  Eci eci();

  /** Where the admission webhook listens and how the API server reaches it. */
  Webhook webhook();

  /** What the agent process does. */
  enum Mode {
    /** Runs the virtual node while the service's configuration says unmanaged. */
    run,
    /** Deletes the cluster's ECI instances, virtual node, Leases and webhook, then exits. */
    drain
  }

  /** ECI settings of the agent itself (the rest comes from the service). */
  interface Eci {

    /**
     * {@code host:port} of a plain-HTTP endpoint serving ECI and VPC (the sandbox); default:
     * Alibaba Cloud's own.
     */
    Optional<String> endpoint();

    /**
     * A Secret in the agent's namespace with keys {@code accessKeyId} and {@code accessKeySecret};
     * when set, ECI credentials come from it rather than from the service.
     */
    Optional<String> credentialsSecret();
  }

  /** The admission webhook. */
  interface Webhook {

    /** The Service in front of the agent's webhook port. */
    @WithDefault("eci-virtual-node-agent")
    String serviceName();

    /** The Service's namespace; default: the agent's namespace. */
    Optional<String> serviceNamespace();

    /** The HTTPS port the webhook listens on. */
    @WithDefault("8443")
    int port();

    /**
     * The {@code https://host:port} at which the API server calls the webhook instead of the
     * in-cluster Service: for an agent run outside the cluster (on a machine the API server
     * reaches, next to a development control plane). The host goes into the self-signed
     * certificate's names. Default: the Service.
     */
    Optional<java.net.URI> url();

    /**
     * A TLS Secret in the agent's namespace with {@code tls.crt}, {@code tls.key} and {@code
     * ca.crt}; default: a self-signed certificate made at start.
     */
    Optional<String> certSecret();
  }
}
