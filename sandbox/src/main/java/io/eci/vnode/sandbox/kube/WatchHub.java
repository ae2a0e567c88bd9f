package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans every stored change out to the open watches, and keeps a bounded history of changes so a
 * watch started at a resourceVersion first replays what it missed (what informers rely on between
 * their list and their watch), like the API server's watch cache. A watch older than the history
 * gets the real server's {@code 410 Expired} error, on which clients re-list.
 *
 * <p>Both {@link #publish} and {@link #subscribe} must be called with the store lock held, so a new
 * watch sees each change exactly once, in resourceVersion order.
 */
final class WatchHub {

  /**
   * One stored change.
   *
   * @param type the resource type
   * @param previous the object before, null on create
   * @param current the object after, null on delete
   * @param resourceVersion the resourceVersion of the change
   */
  record Change(ResourceType type, ObjectNode previous, ObjectNode current, long resourceVersion) {}

  /** Where a watch's events go (a WebSocket or a chunked HTTP response). */
  interface Sink {
    /** Sends one event; {@code type} is ADDED, MODIFIED, DELETED or ERROR. */
    void send(String type, ObjectNode object);

    /** Ends the watch from the server side. */
    void close();
  }

  /** An open watch; closing it stops delivery. */
  final class Subscription implements AutoCloseable {
    private final ObjectFilter filter;
    private final Sink sink;

    private Subscription(ObjectFilter filter, Sink sink) {
      this.filter = filter;
      this.sink = sink;
    }

    private void deliver(Change change) {
      if (!change.type().equals(filter.type())) {
        return;
      }
      boolean before = change.previous() != null && filter.matches(change.previous());
      boolean after = change.current() != null && filter.matches(change.current());
      try {
        if (before && after) {
          sink.send("MODIFIED", change.current());
        } else if (after) {
          sink.send("ADDED", change.current());
        } else if (before) {
          // Like the watch cache: the last state the watcher could see, at the change's
          // resourceVersion.
          ObjectNode gone = change.previous().deepCopy();
          Json.metadata(gone).put("resourceVersion", Long.toString(change.resourceVersion()));
          sink.send("DELETED", gone);
        }
      } catch (RuntimeException e) {
        close();
      }
    }

    @Override
    public void close() {
      subscriptions.remove(this);
    }
  }

  private final int capacity;
  private final Deque<Change> history = new ArrayDeque<>();
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
  private long evictedUpTo;

  WatchHub(int capacity) {
    this.capacity = capacity;
  }

  void publish(Change change) {
    history.addLast(change);
    while (history.size() > capacity) {
      evictedUpTo = history.removeFirst().resourceVersion();
    }
    for (Subscription subscription : subscriptions) {
      subscription.deliver(change);
    }
  }

  /**
   * Opens a watch.
   *
   * @param since the resourceVersion to resume after, or null to start with an ADDED event for
   *     every object in {@code current} (a watch without a resourceVersion, or with "0")
   * @param current the objects matching the filter now
   */
  Subscription subscribe(ObjectFilter filter, Sink sink, Long since, List<ObjectNode> current) {
    Subscription subscription = new Subscription(filter, sink);
    if (since == null) {
      current.forEach(object -> sink.send("ADDED", object));
    } else if (since < evictedUpTo) {
      sink.send(
          "ERROR",
          Status.failure(
              410,
              "Expired",
              "too old resource version: " + since + " (" + (evictedUpTo + 1) + ")"));
      sink.close();
      return subscription;
    } else {
      for (Change change : history) {
        if (change.resourceVersion() > since) {
          subscription.deliver(change);
        }
      }
    }
    subscriptions.add(subscription);
    return subscription;
  }

  /** Ends every open watch, as a server shutting down does. */
  void closeAll() {
    for (Subscription subscription : List.copyOf(subscriptions)) {
      subscription.close();
      subscription.sink.close();
    }
  }
}
