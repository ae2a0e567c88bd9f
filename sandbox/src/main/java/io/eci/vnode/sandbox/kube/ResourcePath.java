package io.eci.vnode.sandbox.kube;

import java.util.Arrays;
import java.util.Optional;

/**
 * A request path resolved to a served resource: {@code /api/v1/namespaces/vk/pods/nginx/status} is
 * type {@code pods}, namespace {@code vk}, name {@code nginx}, subresource {@code status}.
 *
 * @param type the resource type
 * @param namespace the namespace in the path, null for cluster-scoped types and all-namespace lists
 * @param name the object name, null for a collection
 * @param subresource the subresource ({@code status}, {@code binding}), null for the object itself
 * @param legacyWatch whether the path used the deprecated {@code /watch/} prefix
 */
record ResourcePath(
    ResourceType type, String namespace, String name, String subresource, boolean legacyWatch) {

  /** The resource a path addresses, or empty for discovery documents and unknown resources. */
  static Optional<ResourcePath> parse(String path, ResourceTypes types) {
    String[] segments =
        Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    int start;
    String group;
    String version;
    if (segments.length >= 2 && segments[0].equals("api")) {
      group = "";
      version = segments[1];
      start = 2;
    } else if (segments.length >= 3 && segments[0].equals("apis")) {
      group = segments[1];
      version = segments[2];
      start = 3;
    } else {
      return Optional.empty();
    }
    String[] rest = Arrays.copyOfRange(segments, start, segments.length);
    boolean watch = rest.length > 0 && rest[0].equals("watch");
    if (watch) {
      rest = Arrays.copyOfRange(rest, 1, rest.length);
    }
    if (rest.length == 0) {
      return Optional.empty();
    }
    if (rest[0].equals("namespaces") && rest.length >= 3 && rest.length <= 5) {
      Optional<ResourceType> namespaced =
          types.find(group, version, rest[2]).filter(ResourceType::namespaced);
      if (namespaced.isPresent()) {
        return Optional.of(
            new ResourcePath(namespaced.get(), rest[1], at(rest, 3), at(rest, 4), watch));
      }
    }
    if (rest.length > 3) {
      return Optional.empty();
    }
    Optional<ResourceType> type = types.find(group, version, rest[0]);
    if (type.isEmpty() || (type.get().namespaced() && rest.length > 1)) {
      return Optional.empty();
    }
    return Optional.of(new ResourcePath(type.get(), null, at(rest, 1), at(rest, 2), watch));
  }

  boolean isCollection() {
    return name == null;
  }

  private static String at(String[] segments, int index) {
    return index < segments.length ? segments[index] : null;
  }
}
