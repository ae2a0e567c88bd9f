package io.eci.vnode.service.hosting;

import io.eci.vnode.service.claims.Deregistrations;
import io.eci.vnode.service.claims.Deregistrations.Job;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries deregistrations on in the background on every replica, hosting or not: once a period it
 * takes due deregistrations from the database one at a time (each held by this replica for {@link
 * #HOLD}, so no two replicas step the same one) and runs one {@link Deregistration#step} of each. A
 * deregistration left by a replica that stopped is resumed by whichever replica takes it next.
 */
@ApplicationScoped
public class DeregistrationWorker {

  private static final Logger LOG = LoggerFactory.getLogger(DeregistrationWorker.class);

  /** How long a replica holds a deregistration for one step: longer than a step's timeouts. */
  static final Duration HOLD = Duration.ofMinutes(2);

  /** Steps per round at most, so one round stays short whatever the queue. */
  static final int STEPS_PER_ROUND = 20;

  private final Deregistrations queue;
  private final Deregistration deregistration;
  private final HostingConfig config;
  private final Host host;
  private ScheduledExecutorService loop;

  DeregistrationWorker(
      Deregistrations queue, Deregistration deregistration, HostingConfig config, Host host) {
    this.queue = queue;
    this.deregistration = deregistration;
    this.config = config;
    this.host = host;
  }

  void onStart(@Observes StartupEvent event) {
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "deregistrations");
              t.setDaemon(true);
              return t;
            });
    loop.scheduleWithFixedDelay(
        this::roundSafely, 0, config.period().toMillis(), TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (loop != null) {
      loop.shutdownNow();
    }
  }

  private void roundSafely() {
    try {
      round();
    } catch (RuntimeException e) {
      LOG.warn("deregistration round failed; the next one retries: {}", e.toString());
      LOG.debug("deregistration round failure", e);
    }
  }

  /** Steps the due deregistrations, at most {@link #STEPS_PER_ROUND}. */
  void round() {
    for (int i = 0; i < STEPS_PER_ROUND; i++) {
      Optional<Job> job = queue.take(host.replica(), HOLD);
      if (job.isEmpty()) {
        return;
      }
      deregistration.step(job.get());
    }
  }
}
