package io.eci.vnode.agent;

import io.eci.vnode.agent.drain.Drain;
import io.eci.vnode.agent.settings.AgentConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The agent process: in {@code run} mode it runs until stopped ({@link AgentLifecycle}); in {@code
 * drain} mode it drains and exits with the drain's status, 0 only when nothing is left.
 */
@QuarkusMain
public class AgentMain implements QuarkusApplication {

  @Inject AgentConfig config;
  @Inject Drain drain;

  @Override
  public int run(String... args) {
    if (config.mode() == AgentConfig.Mode.drain) {
      return drain.run(System.out);
    }
    Quarkus.waitForExit();
    return 0;
  }
}
