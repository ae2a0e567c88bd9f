package io.eci.vnode.service.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role an API resource (class or method) is for. A resource under /api without it refuses every
 * caller, so a new endpoint cannot be opened by forgetting the rule.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Allowed {
  Role value();
}
