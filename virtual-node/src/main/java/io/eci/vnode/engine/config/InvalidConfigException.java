package io.eci.vnode.engine.config;

import java.util.List;

/** A virtual node configuration that cannot work, with every reason at once. */
public final class InvalidConfigException extends RuntimeException {

  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super("invalid virtual node configuration: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, naming the setting. */
  public List<String> problems() {
    return problems;
  }
}
