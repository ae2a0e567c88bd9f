package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watch requests ({@code ?watch=true}, or the legacy {@code /watch/} paths): checked before they
 * are answered, then opened on the {@link WatchHub} from the requested resourceVersion, as Table
 * rows when the client asked for server-side printing.
 */
final class WatchRequests {

  private final ResourceTypes types;
  private final Registry registry;
  private final WatchHub watches;

  WatchRequests(ResourceTypes types, Registry registry, WatchHub watches) {
    this.types = types;
    this.registry = registry;
    this.watches = watches;
  }

  /** Whether a request is a watch (to be streamed) rather than a plain request. */
  boolean isWatch(ApiRequest request) {
    if (!request.method().equals("GET")) {
      return false;
    }
    Optional<ResourcePath> path = ResourcePath.parse(request.path(), types);
    return path.isPresent() && (request.isWatch() || path.get().legacyWatch());
  }

  /**
   * Checks a watch before it is answered, as the API server does (an invalid selector or version is
   * a plain 400, not a stream); returns its path.
   *
   * @throws ApiException what is wrong with it
   */
  ResourcePath validate(ApiRequest request) {
    ResourcePath path =
        ResourcePath.parse(request.path(), types)
            .orElseThrow(
                () -> ApiException.notFound("the server could not find the requested resource"));
    path.type().requireVerb("watch");
    if (path.subresource() != null) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    ObjectFilter.of(path, request);
    sinceVersion(request.param("resourceVersion"));
    return path;
  }

  /**
   * Opens a watch whose events go to {@code sink}: without a resourceVersion, every matching object
   * comes first as ADDED.
   *
   * @throws ApiException when the request is not a valid watch
   */
  WatchHub.Subscription open(ApiRequest request, WatchHub.Sink sink) {
    ResourcePath path = validate(request);
    ObjectFilter filter = ObjectFilter.of(path, request);
    Long since = sinceVersion(request.param("resourceVersion"));
    WatchHub.Sink target = request.wantsTable() ? tableSink(path.type(), request, sink) : sink;
    return registry
        .store()
        .locked(
            () ->
                watches.subscribe(
                    filter, target, since, since == null ? registry.matching(filter) : List.of()));
  }

  /** Each event's object as a one-row Table; the first carries the column definitions. */
  private WatchHub.Sink tableSink(ResourceType type, ApiRequest request, WatchHub.Sink sink) {
    AtomicBoolean first = new AtomicBoolean(true);
    String includeObject = request.param("includeObject");
    return new WatchHub.Sink() {
      @Override
      public void send(String eventType, ObjectNode object) {
        if (eventType.equals("ERROR")) {
          sink.send(eventType, object);
          return;
        }
        String version = Json.text(object, "metadata", "resourceVersion");
        sink.send(
            eventType,
            Tables.table(
                type,
                List.of(object),
                version,
                includeObject,
                first.getAndSet(false),
                registry.now()));
      }

      @Override
      public void close() {
        sink.close();
      }
    };
  }

  /** The version to watch from; null (absent, empty or {@code 0}) means "from now, with a list". */
  private static Long sinceVersion(String resourceVersion) {
    if (resourceVersion == null || resourceVersion.isEmpty() || resourceVersion.equals("0")) {
      return null;
    }
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid resource version: " + resourceVersion);
    }
  }
}
