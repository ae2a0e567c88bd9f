package io.eci.vnode.service.api;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a query parameter the API operation does not take, naming it: JAX-RS ignores one, so a
 * {@code pageToken} sent to a list that does not page, or a misspelt {@code keepPod}, would be
 * answered as if it had not been sent. Only under {@code /api/}: the webhook's callers, API
 * servers, add a {@code timeout} of their own.
 */
public class KnownQueryParams {

  private final Map<Method, Set<String>> known = new ConcurrentHashMap<>();

  // After authentication: an anonymous caller learns nothing of an operation's parameters.
  @ServerRequestFilter(priority = Priorities.USER + 100)
  public void refuseUnknownQueryParams(ContainerRequestContext request, ResourceInfo resource) {
    Method method = resource.getResourceMethod();
    String path = request.getUriInfo().getPath();
    if (method == null || !(path.startsWith("/api/") || path.startsWith("/agent/"))) {
      return;
    }
    Set<String> accepted = known.computeIfAbsent(method, KnownQueryParams::queryParams);
    for (String name : new TreeSet<>(request.getUriInfo().getQueryParameters().keySet())) {
      if (!accepted.contains(name)) {
        throw ApiProblem.invalid(
            name,
            accepted.isEmpty()
                ? "is not a query parameter here; this operation takes none"
                : "is not a query parameter here; known here: " + String.join(", ", accepted));
      }
    }
  }

  private static Set<String> queryParams(Method method) {
    Set<String> names = new TreeSet<>();
    for (Annotation[] annotations : method.getParameterAnnotations()) {
      for (Annotation annotation : annotations) {
        if (annotation instanceof QueryParam query) {
          names.add(query.value());
        }
      }
    }
    return names;
  }
}
