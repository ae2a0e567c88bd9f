package io.eci.vnode.service.api;

import io.eci.vnode.service.api.Problem.InvalidParam;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every offending field of a request so the caller learns of all of them in one answer.
 */
public final class InvalidParams {

  private final List<InvalidParam> params = new ArrayList<>();

  /** Records that {@code field} is wrong for {@code reason}. */
  public void add(String field, String reason) {
    params.add(new InvalidParam(field, reason));
  }

  /** Throws a 400 problem naming every recorded field, if there is any. */
  public void throwIfAny() {
    if (!params.isEmpty()) {
      throw ApiProblem.invalid(params);
    }
  }
}
