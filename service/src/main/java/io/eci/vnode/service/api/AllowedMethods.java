package io.eci.vnode.service.api;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The HTTP methods the API serves at a path, read from the resources' annotations, for the {@code
 * Allow} header of a 405 (the REST layer does not say which methods it would have taken).
 */
@Singleton
public class AllowedMethods {

  private record Route(Pattern path, String method) {}

  private final BeanManager beans;
  private volatile List<Route> routes;

  AllowedMethods(BeanManager beans) {
    this.beans = beans;
  }

  /** The methods some resource serves at {@code path}, with HEAD and OPTIONS, sorted. */
  public Set<String> at(String path) {
    String normalised = "/" + path.replaceFirst("^/+", "").replaceFirst("/+$", "");
    Set<String> methods = new TreeSet<>();
    for (Route route : routes()) {
      if (route.path().matcher(normalised).matches()) {
        methods.add(route.method());
      }
    }
    if (methods.contains("GET")) {
      methods.add("HEAD");
    }
    if (!methods.isEmpty()) {
      methods.add("OPTIONS");
    }
    return methods;
  }

  private List<Route> routes() {
    if (routes == null) {
      List<Route> found = new ArrayList<>();
      for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
        Path root = bean.getBeanClass().getAnnotation(Path.class);
        if (root != null) {
          for (Method method : bean.getBeanClass().getMethods()) {
            add(found, root.value(), method);
          }
        }
      }
      routes = List.copyOf(found);
    }
    return routes;
  }

  private static void add(List<Route> found, String root, Method method) {
    Path sub = method.getAnnotation(Path.class);
    for (Annotation annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        String template =
            ("/" + root + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
        template = template.length() > 1 ? template.replaceFirst("/$", "") : template;
        found.add(new Route(Pattern.compile(regex(template)), http.value()));
      }
    }
  }

  // {id} and {id: regex} both match one path segment here, which is all a 405 needs to know.
  static String regex(String template) {
    StringBuilder regex = new StringBuilder();
    for (String part : template.split("\\{[^}]*}", -1)) {
      if (!regex.isEmpty()) {
        regex.append("[^/]+");
      }
      regex.append(Pattern.quote(part));
    }
    return regex.toString();
  }
}
