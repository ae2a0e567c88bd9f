package io.eci.vnode.sandbox.controlplane;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link RequiresControlPlane} class when the control plane's binaries are installed, or
 * when they are required; otherwise skips it, loudly: the reason names the missing binaries and the
 * installer, and the first skip logs it as a warning as well.
 */
public final class ControlPlaneCondition implements ExecutionCondition {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneCondition.class);

  /** Set to {@code 1} or {@code true}: missing binaries fail the tier instead of skipping it. */
  public static final String REQUIRED_ENV = "VNODE_E2E_REQUIRED";

  private static final AtomicBoolean WARNED = new AtomicBoolean();

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    ControlPlaneBinaries binaries = ControlPlaneBinaries.configured();
    if (binaries.missing().isEmpty()) {
      return ConditionEvaluationResult.enabled("control plane " + binaries.dir());
    }
    if (required()) {
      return ConditionEvaluationResult.enabled(
          REQUIRED_ENV + " is set: the tier runs and fails without its control plane");
    }
    String reason =
        "END-TO-END TIER SKIPPED: "
            + binaries.missingMessage()
            + " Set "
            + REQUIRED_ENV
            + "=1 to make its absence a failure.";
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn("*** {}", reason);
    }
    return ConditionEvaluationResult.disabled(reason);
  }

  /** Whether {@value #REQUIRED_ENV} asks for missing binaries to fail the tier. */
  public static boolean required() {
    String value = System.getenv(REQUIRED_ENV);
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }
}
