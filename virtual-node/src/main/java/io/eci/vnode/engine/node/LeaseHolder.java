package io.eci.vnode.engine.node;

import java.util.Optional;

/**
 * Who holds the ownership Lease, as a hosted engine writes it: {@code
 * <replica>/<registration>/<term>} (e.g. {@code vnode-0/0b9e…-uuid/7}), unique per engine. The
 * replica is the hosting process, the registration the cluster id the engine acts for, the term the
 * claim's fencing epoch. Two registrations of one cluster, or two replicas, can therefore never
 * both believe they hold it; and an engine recognises a Lease left by its own earlier term (same
 * replica and registration, a lower term: the replica restarted) and takes it over at once instead
 * of waiting it out. A replica name may itself contain {@code /}: the last two parts are read from
 * the right.
 *
 * @param replica the hosting replica's name
 * @param registration the cluster id of the registration the engine acts for
 * @param term the claim epoch the engine runs under
 */
public record LeaseHolder(String replica, String registration, long term) {

  public LeaseHolder {
    if (replica.isEmpty() || registration.isEmpty() || registration.contains("/") || term < 0) {
      throw new IllegalArgumentException(
          "not a Lease holder: " + replica + "/" + registration + "/" + term);
    }
  }

  /** The identity written into the Lease's {@code holderIdentity}. */
  public String identity() {
    return replica + "/" + registration + "/" + term;
  }

  /** The holder this identity names, when it has the hosted form; empty for any other holder. */
  public static Optional<LeaseHolder> parse(String identity) {
    if (identity == null) {
      return Optional.empty();
    }
    int last = identity.lastIndexOf('/');
    int middle = last <= 0 ? -1 : identity.lastIndexOf('/', last - 1);
    if (middle <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new LeaseHolder(
              identity.substring(0, middle),
              identity.substring(middle + 1, last),
              Long.parseLong(identity.substring(last + 1))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether this is an earlier term of {@code later}: the same replica and registration. */
  public boolean isEarlierTermOf(LeaseHolder later) {
    return replica.equals(later.replica())
        && registration.equals(later.registration())
        && term < later.term();
  }
}
