package io.eci.vnode.sandbox.kube;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Object-name rules: DNS-1123 subdomains (labels for namespaces) and {@code generateName} suffixes.
 */
final class ObjectNames {

  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  // The alphabet the API server's name generator uses: no vowels, no look-alike characters.
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ObjectNames() {}

  /** Null when {@code name} is valid for {@code type}, else why not. */
  static String problem(ResourceType type, String name) {
    if (type.equals(ResourceTypes.NAMESPACES)) {
      return name.length() <= 63 && LABEL.matcher(name).matches()
          ? null
          : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
              + " and must start and end with an alphanumeric character";
    }
    if (type.group().equals("rbac.authorization.k8s.io")) {
      return name.contains("/") || name.contains("%") ? "may not contain '/' or '%'" : null;
    }
    return name.length() <= 253 && SUBDOMAIN.matcher(name).matches()
        ? null
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
            + " '.', and must start and end with an alphanumeric character";
  }

  /** {@code prefix} plus five random characters, as the API server expands {@code generateName}. */
  static String generate(String prefix) {
    StringBuilder name = new StringBuilder(prefix);
    for (int i = 0; i < 5; i++) {
      name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }
}
