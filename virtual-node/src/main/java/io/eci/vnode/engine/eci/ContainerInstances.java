package io.eci.vnode.engine.eci;

import java.util.List;

/**
 * The provider port: ECI instances of one cluster. Implementations are thread-safe. Every failure
 * is an {@link EciException} whose {@link EciException#kind()} says what the caller can do about
 * it.
 */
public interface ContainerInstances {

  /**
   * Creates an instance, or returns the one already created with the same client token; calling it
   * twice for one pod never makes two instances.
   *
   * @return the instance id
   */
  String create(CreateInstance create);

  /**
   * Every instance carrying the tag {@code key=value}, all pages read; never a region-wide scan.
   */
  List<Instance> describeByTag(String key, String value);

  /**
   * The status of every instance carrying the tag {@code key=value}, all pages read: one call per
   * up to 200 instances, to find the few that changed and describe only those.
   */
  List<InstanceState> statusByTag(String key, String value);

  /** The instances with these ids that still exist (at most 20 ids per call, as ECI allows). */
  List<Instance> describeByIds(List<String> ids);

  /** Deletes an instance; deleting one that is already gone succeeds. */
  void delete(String instanceId);
}
