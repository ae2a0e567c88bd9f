package io.eci.vnode.engine.pod;

import io.eci.vnode.sandbox.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A timer on a {@link ManualClock}: tasks run, on the test's thread, when the test moves it. */
final class ManualTimer implements Later {

  private record Task(Instant due, Runnable task) {}

  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();

  ManualTimer(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public void after(Duration delay, Runnable task) {
    tasks.add(new Task(clock.instant().plus(delay), task));
  }

  /** Moves the clock on and runs the tasks that came due, earliest first. */
  void advance(Duration by) {
    clock.advance(by);
    List<Task> due =
        tasks.stream()
            .filter(t -> !t.due().isAfter(clock.instant()))
            .sorted(Comparator.comparing(Task::due))
            .toList();
    tasks.removeAll(due);
    due.forEach(t -> t.task().run());
  }

  int pending() {
    return tasks.size();
  }
}
