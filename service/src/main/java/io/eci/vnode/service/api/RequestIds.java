package io.eci.vnode.service.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every API request an id (the caller's {@code X-Request-Id} when it is sane, else a new
 * one), puts it in the logging context and the answer, and writes one log line per request. Bodies
 * and headers are never logged: they carry tokens and cluster credentials.
 */
public class RequestIds {

  /** The header that carries the request id both ways. */
  public static final String HEADER = "X-Request-Id";

  static final String MDC_KEY = "requestId";
  private static final String STARTED = RequestIds.class.getName() + ".started";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Logger LOG = LoggerFactory.getLogger("io.eci.vnode.service.access");

  @ServerRequestFilter(preMatching = true)
  public void assignRequestId(ContainerRequestContext request) {
    String id = idFor(request.getHeaderString(HEADER));
    MDC.put(MDC_KEY, id);
    request.setProperty(MDC_KEY, id);
    request.setProperty(STARTED, System.nanoTime());
  }

  @ServerResponseFilter
  public void reportRequestId(ContainerRequestContext request, ContainerResponseContext response) {
    Object id = request.getProperty(MDC_KEY);
    if (id != null) {
      response.getHeaders().putSingle(HEADER, id);
    }
    Object started = request.getProperty(STARTED);
    long millis = started == null ? -1 : (System.nanoTime() - (long) started) / 1_000_000;
    LOG.info(
        "{} {} -> {} ({} ms)",
        request.getMethod(),
        request.getUriInfo().getPath(),
        response.getStatus(),
        millis);
  }

  /** The current request's id, or null outside a request. */
  public static String current() {
    return MDC.get(MDC_KEY);
  }

  /** The id of a request that offered this {@code X-Request-Id} (or none: null). */
  static String idFor(String offered) {
    return offered != null && SANE.matcher(offered).matches() ? offered : newId();
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
