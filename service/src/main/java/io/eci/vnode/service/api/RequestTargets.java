package io.eci.vnode.service.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Checks a request target (path and query) before anything reads it, and says which part is wrong:
 * a '%' not followed by two hex digits, or a character that must be percent-encoded. The check is
 * the one Quarkus makes ({@link URI}); this one names the query parameter, or {@code path}, or
 * {@code query} when the parameter's own name cannot be read.
 */
final class RequestTargets {

  private static final String BAD_ESCAPE = "is not valid percent-encoding; escape '%' as %25";
  private static final String BAD_CHARACTER = "holds a character that must be percent-encoded";

  private RequestTargets() {}

  /** The refusal of this request target, or empty when it is well-formed. */
  static Optional<ApiProblem> refusal(String target) {
    try {
      new URI(target);
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of(locate(target));
    }
  }

  private static ApiProblem locate(String target) {
    int question = target.indexOf('?');
    String path = question < 0 ? target : target.substring(0, question);
    Optional<String> pathFault = fault(path, true);
    if (pathFault.isPresent() || question < 0) {
      return ApiProblem.invalid("path", pathFault.orElse(BAD_CHARACTER));
    }
    for (String pair : target.substring(question + 1).split("&", -1)) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      Optional<String> nameFault = fault(name, false);
      if (nameFault.isPresent()) {
        return ApiProblem.invalid("query", nameFault.get());
      }
      Optional<String> valueFault = fault(value, false);
      if (valueFault.isPresent()) {
        return ApiProblem.invalid(
            URLDecoder.decode(name, StandardCharsets.UTF_8), valueFault.get());
      }
    }
    return ApiProblem.invalid("query", BAD_CHARACTER);
  }

  /** What is wrong with one part of the target, if anything. */
  private static Optional<String> fault(String part, boolean isPath) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '%') {
        if (i + 2 >= part.length() || !hex(part.charAt(i + 1)) || !hex(part.charAt(i + 2))) {
          return Optional.of(BAD_ESCAPE);
        }
        i += 2;
      } else if (!allowed(c, isPath)) {
        return Optional.of(BAD_CHARACTER);
      }
    }
    return Optional.empty();
  }

  private static boolean hex(char c) {
    return Character.digit(c, 16) >= 0 && c < 128;
  }

  // RFC 3986: unreserved, sub-delims, ':' and '@' in a path segment; '/' and '?' in the query too.
  private static boolean allowed(char c, boolean isPath) {
    if (c < 128 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0)) {
      return true;
    }
    return !isPath && c == '?';
  }
}
