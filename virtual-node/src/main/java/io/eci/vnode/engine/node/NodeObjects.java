package io.eci.vnode.engine.node;

/**
 * The virtual node's objects in its cluster, as its health sees them: the Node, its heartbeat
 * Lease, the Events on it.
 */
public interface NodeObjects {

  /** The node's name. */
  String nodeName();

  /** The cluster's API server, for messages. */
  String apiServer();

  /**
   * Creates the Node, or brings an existing one's labels, taint and capacity back, and reports it
   * Ready; throws when the API server refuses or cannot be reached.
   */
  void register();

  /** Renews the node's heartbeat Lease; throws when the API server refuses or cannot be reached. */
  void renewLease();

  /** Reads the cluster's ownership Lease; throws when the API server cannot be reached. */
  void ping();

  /** Sets the node's Ready condition to {@code ready}, with the reason and message of it. */
  void report(boolean ready, String reason, String message);

  /** Records an Event on the node; one that cannot be written is logged, never thrown. */
  void event(String type, String reason, String message);
}
