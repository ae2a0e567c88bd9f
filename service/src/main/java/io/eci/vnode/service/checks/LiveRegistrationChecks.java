package io.eci.vnode.service.checks;

import io.eci.vnode.service.cluster.CheckReport;
import io.eci.vnode.service.cluster.CheckTarget;
import io.eci.vnode.service.cluster.RegistrationChecks;
import io.eci.vnode.service.hosting.ClusterConnections;
import io.eci.vnode.service.hosting.HostedCluster;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks against the real API server and the cloud, through the clients the engines use ({@link
 * ClusterConnections}). The API server's checks and the cloud's run at once, each bounded by {@link
 * ChecksConfig#timeout()}; within each, the independent calls (the permission reviews; the
 * vSwitches and the security group) run at once as well.
 */
@ApplicationScoped
class LiveRegistrationChecks implements RegistrationChecks {

  private static final Logger LOG = LoggerFactory.getLogger(LiveRegistrationChecks.class);

  /**
   * Threads for the checks' blocking calls: they grow with the calls running at once (about 30 per
   * registration being checked) and end when idle. At the limit a call runs on its caller's thread,
   * so a burst of registrations slows down instead of failing.
   */
  private static final int MAX_THREADS = 128;

  private final ClusterConnections connections;
  private final Duration timeout;
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          0,
          MAX_THREADS,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          threads(),
          new ThreadPoolExecutor.CallerRunsPolicy());

  LiveRegistrationChecks(ClusterConnections connections, ChecksConfig config) {
    this.connections = connections;
    this.timeout = config.timeout();
  }

  @PreDestroy
  void close() {
    executor.shutdownNow();
  }

  @Override
  public CheckReport check(CheckTarget target) {
    long started = System.nanoTime();
    // A throwaway id: the cloud client caches a RAM role's credentials by cluster, forgotten below.
    HostedCluster cluster = asHosted(target, UUID.randomUUID());
    Findings findings = new Findings();
    CompletableFuture<Void> apiServer =
        bounded(() -> new ApiServerChecks(connections, executor).check(cluster, findings));
    CompletableFuture<Void> cloudRun =
        CompletableFuture.runAsync(
            () -> new CloudChecks(connections, executor).check(cluster, findings), executor);
    // Forgotten when the calls end, even after the wait for them has timed out.
    cloudRun.whenComplete((done, failed) -> connections.forget(cluster.id()));
    CompletableFuture<Void> cloud =
        cloudRun.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    awaitApiServer(apiServer, cluster, findings);
    awaitCloud(cloud, findings);
    CheckReport report = findings.report();
    LOG.debug(
        "registration checks of {} took {} ms: {} problems, {} unverified",
        target,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        report.problems().size(),
        report.unverified().size());
    return report;
  }

  private CompletableFuture<Void> bounded(Runnable check) {
    return CompletableFuture.runAsync(check, executor)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void awaitApiServer(
      CompletableFuture<Void> check, HostedCluster cluster, Findings findings) {
    try {
      check.join();
    } catch (CompletionException e) {
      String field =
          cluster.apiCredentials().kubeconfig() != null
              ? "apiServer.credentials.kubeconfig"
              : "apiServer.url";
      if (e.getCause() instanceof TimeoutException) {
        findings.problem(field, "did not answer within " + timeout.toSeconds() + " s");
      } else {
        LOG.warn("the API server check of {} failed", cluster.apiServerUrl(), e.getCause());
        findings.problem(field, "could not be checked: " + ApiServerChecks.brief(e.getCause()));
      }
    }
  }

  private void awaitCloud(CompletableFuture<Void> check, Findings findings) {
    try {
      check.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof TimeoutException) {
        findings.unverified("the cloud did not answer within " + timeout.toSeconds() + " s");
      } else {
        LOG.warn("the cloud check failed", e.getCause());
        findings.unverified(
            "the cloud could not be checked: " + ApiServerChecks.brief(e.getCause()));
      }
    }
  }

  private static HostedCluster asHosted(CheckTarget t, UUID id) {
    return new HostedCluster(
        id,
        t.tenantId(),
        "registration-check",
        t.region(),
        t.apiServerUrl(),
        t.apiServerCa(),
        t.apiCredentials(),
        t.vSwitchIds(),
        t.securityGroupId(),
        true,
        t.eciCredentials(),
        0);
  }

  private static ThreadFactory threads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "registration-check-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
