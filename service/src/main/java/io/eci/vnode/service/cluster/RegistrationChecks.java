package io.eci.vnode.service.cluster;

/**
 * The port through which a registration (and a change of what it checks) learns whether the cluster
 * can work before it is stored: the API server answers the given credentials and its RBAC grants
 * what the virtual node does, and the ECI credentials, vSwitches and security group exist in the
 * region. Implementations bound every check in time and run independent ones at once.
 */
public interface RegistrationChecks {

  /**
   * Runs every check of {@code target} and reports what it found. Never throws for what a check
   * finds: a refused credential, a missing permission or an unknown vSwitch is a {@link
   * CheckReport.Problem} naming the request field, and a check that could not run to an answer (the
   * cloud failing or slow) is an {@link CheckReport#unverified() unverified} reason.
   */
  CheckReport check(CheckTarget target);
}
