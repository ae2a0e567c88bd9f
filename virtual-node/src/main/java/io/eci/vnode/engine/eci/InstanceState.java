package io.eci.vnode.engine.eci;

/**
 * An instance's status as DescribeContainerGroupStatus reports it: cheap to read for a whole
 * cluster (pages of up to 200), and enough to tell which instances changed since the last look, so
 * that only those are described in full.
 *
 * @param id the container group id
 * @param rawStatus the ECI status string (Pending, Running, ScheduleFailed...)
 * @param fingerprint a text that changes whenever anything of the instance's status changes
 */
public record InstanceState(String id, String rawStatus, String fingerprint) {}
