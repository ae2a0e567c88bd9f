package io.eci.vnode.sandbox.controlplane;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class of the end-to-end tier: it runs against a real control plane. Without the
 * binaries the class is skipped with the install command as its reason, unless {@value
 * ControlPlaneCondition#REQUIRED_ENV} is set (CI sets it), in which case it runs and fails with
 * that message.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ControlPlaneCondition.class)
public @interface RequiresControlPlane {}
