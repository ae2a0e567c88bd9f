package io.eci.vnode.service.hosting;

import io.eci.vnode.service.webhook.Webhooks;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How this replica hosts managed clusters. */
@ConfigMapping(prefix = "vnode.hosting")
public interface HostingConfig {

  /** Whether this replica runs engines for managed clusters at all. */
  @WithDefault("true")
  boolean enabled();

  /**
   * This replica's name in claims and ownership Leases; it must be unique among the live replicas
   * and stay the same across restarts, so a restarted replica takes its own clusters back at once.
   * Default: the pod's name (the {@code HOSTNAME} environment variable Kubernetes sets), else the
   * host name.
   */
  Optional<String> replica();

  /** How often claims are renewed, new clusters claimed and statuses written. */
  @WithDefault("5s")
  Duration period();

  /** How long a claim holds without renewal; another replica takes the cluster after it. */
  @WithDefault("30s")
  Duration lease();

  /** Worker threads shared by every engine of this replica. */
  @WithDefault("32")
  int workers();

  /**
   * The https address at which clusters' API servers reach this service's admission webhook (e.g.
   * {@code https://vnode.example.com}); without it no webhook is installed and the binder alone
   * places selected pods.
   */
  Optional<String> webhookBaseUrl();

  /**
   * A PEM file with the certificate authority that signed the certificate the webhook is served
   * with (by this service's https listener or a proxy in front of it); it becomes the caBundle of
   * every cluster's webhook configuration. Without it API servers check that certificate against
   * their own system roots, which suits a publicly signed one.
   */
  Optional<Path> webhookCaFile();

  /**
   * What a cluster's API server does with a selected pod while it cannot call the webhook (this
   * service down or unreachable): {@code Fail} refuses the pod with the API server's error, so it
   * is never created unsteered (a controller retries it, a person sees the error); {@code Ignore}
   * creates it without the steering, and the binder places it, unless a scheduler has put it on
   * another node first. Only pods the webhook's selectors match are affected either way.
   */
  @WithDefault("Fail")
  Webhooks.FailurePolicy webhookFailurePolicy();

  /** How often each engine reads its instances' status. */
  @WithDefault("500ms")
  Duration statusPeriod();

  /**
   * While a cluster's API server keeps failing, how often its engine logs a summary line; it logs
   * one WARN with the cause when it starts failing and one INFO when it answers again.
   */
  @WithDefault("1m")
  Duration outageSummaryPeriod();
}
