package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a request to discovery, the registry, binding or a watch, and renders the answer the way
 * the client asked for it (plain JSON, Table, PartialObjectMetadata). Paths of resources the
 * stand-in does not model (custom resources, CRDs, unknown groups) are passed through to fabric8's
 * CRUD mock unchanged.
 */
final class ApiHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  private final ResourceTypes types;
  private final Discovery discovery;
  private final Registry registry;
  private final Deleter deleter;
  private final PodBinding binding;
  private final WatchHub watches;
  private final OpenApiV3 openApi;

  ApiHandler(ResourceTypes types, Discovery discovery, Registry registry, WatchHub watches) {
    this.types = types;
    this.discovery = discovery;
    this.registry = registry;
    this.deleter = new Deleter(registry, types);
    this.binding = new PodBinding(registry);
    this.watches = watches;
    this.openApi = new OpenApiV3(types);
  }

  /** Answers a non-watch request. */
  ApiResponse handle(ApiRequest request) {
    try {
      return route(request);
    } catch (ApiException e) {
      return ApiResponse.json(e.code(), e.toStatus());
    } catch (RuntimeException e) {
      LOG.warn("internal error serving {} {}", request.method(), request.path(), e);
      return ApiResponse.json(500, Status.failure(500, "InternalError", "internal error: " + e));
    }
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
   * Opens a watch whose events go to {@code sink}.
   *
   * @throws ApiException when the request is not a valid watch (answer it as an error instead of
   *     streaming)
   */
  WatchHub.Subscription watch(ApiRequest request, WatchHub.Sink sink) {
    ResourcePath path = validateWatch(request);
    ObjectFilter filter = filter(path, request);
    Long since = sinceVersion(request.param("resourceVersion"));
    WatchHub.Sink target = request.wantsTable() ? tableSink(path.type(), request, sink) : sink;
    ObjectStore store = registry.store();
    return store.locked(
        () ->
            watches.subscribe(
                filter, target, since, since == null ? registry.matching(filter) : List.of()));
  }

  /**
   * Checks a watch before it is answered, as the API server does (an invalid selector or version is
   * a plain 400, not a stream); returns its path.
   *
   * @throws ApiException what is wrong with it
   */
  ResourcePath validateWatch(ApiRequest request) {
    ResourcePath path =
        ResourcePath.parse(request.path(), types)
            .orElseThrow(
                () -> ApiException.notFound("the server could not find the requested resource"));
    requireVerb(path.type(), "watch");
    if (path.subresource() != null) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    filter(path, request);
    sinceVersion(request.param("resourceVersion"));
    return path;
  }

  private ApiResponse route(ApiRequest request) {
    String path = request.path();
    if (request.method().equals("GET")) {
      Optional<ObjectNode> document = discovery.document(path).or(() -> openApi.document(path));
      if (document.isPresent()) {
        return ApiResponse.json(200, document.get());
      }
      if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
        return ApiResponse.text(200, "ok");
      }
    }
    Optional<ResourcePath> resource = ResourcePath.parse(path, types);
    if (resource.isPresent()) {
      return resource(request, resource.get());
    }
    if (isGroupDiscovery(path)) {
      // a group only fabric8 knows (a CRD created through the pass-through) is served by fabric8
      ApiResponse fromMock = passThrough(request);
      if (fromMock.code() == 200 && servesResources(fromMock.body())) {
        return fromMock;
      }
      throw ApiException.notFound("the server could not find the requested resource");
    }
    if (path.startsWith("/api/") || path.startsWith("/apis/")) {
      return passThrough(request);
    }
    throw ApiException.notFound("the server could not find the requested resource");
  }

  private static boolean servesResources(String body) {
    try {
      return !Json.parse(body, false).path("resources").isEmpty();
    } catch (ApiException e) {
      return false;
    }
  }

  /** {@code /apis/<group>} or {@code /apis/<group>/<version>}. */
  private static boolean isGroupDiscovery(String path) {
    String[] segments = path.split("/");
    return path.startsWith("/apis/") && (segments.length == 3 || segments.length == 4);
  }

  private ApiResponse resource(ApiRequest request, ResourcePath path) {
    requireServedSubresource(request, path);
    if (path.isCollection()
        && path.type().namespaced()
        && path.namespace() == null
        && !request.method().equals("GET")) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource (no namespace)");
    }
    ResourceType type = path.type();
    return switch (request.method()) {
      case "GET" -> read(request, path);
      case "POST" -> post(request, path);
      case "PUT" -> {
        requireObject(path);
        requireVerb(type, "update");
        yield ApiResponse.json(200, registry.update(path, body(request), request.dryRun()));
      }
      case "PATCH" -> {
        requireObject(path);
        requireVerb(type, "patch");
        Registry.Patched patched =
            registry.patch(
                path,
                PatchType.of(request.contentType()),
                request.body(),
                request.param("fieldManager"),
                request.dryRun());
        yield ApiResponse.json(patched.created() ? 201 : 200, patched.object());
      }
      case "DELETE" -> delete(request, path);
      default ->
          throw ApiException.methodNotAllowed(
              "the server does not allow this method on the requested resource");
    };
  }

  private ApiResponse read(ApiRequest request, ResourcePath path) {
    if (path.isCollection()) {
      requireVerb(path.type(), "list");
      ObjectNode list = registry.list(filter(path, request));
      return ApiResponse.json(200, render(request, path.type(), list));
    }
    requireVerb(path.type(), "get");
    ObjectNode object = registry.get(path.type(), path.namespace(), path.name());
    if (request.wantsTable()) {
      return ApiResponse.json(
          200,
          Tables.table(
              path.type(),
              List.of(object),
              Json.text(object, "metadata", "resourceVersion"),
              request.param("includeObject"),
              true,
              registry.now()));
    }
    return ApiResponse.json(
        200, request.wantsPartialMetadata() ? Tables.partialMetadata(object) : object);
  }

  private ObjectNode render(ApiRequest request, ResourceType type, ObjectNode list) {
    List<ObjectNode> items = Json.itemsOf(list);
    String resourceVersion = Json.text(list, "metadata", "resourceVersion");
    if (request.wantsTable()) {
      return Tables.table(
          type, items, resourceVersion, request.param("includeObject"), true, registry.now());
    }
    if (request.wantsPartialMetadata()) {
      ObjectNode partial = Json.object();
      partial.put("kind", "PartialObjectMetadataList");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.putObject("metadata").put("resourceVersion", resourceVersion);
      ArrayNode partialItems = partial.putArray("items");
      items.forEach(item -> partialItems.add(Tables.partialMetadata(item)));
      return partial;
    }
    return list;
  }

  private ApiResponse post(ApiRequest request, ResourcePath path) {
    ResourceType type = path.type();
    if (type.equals(ResourceTypes.PODS) && "binding".equals(path.subresource())) {
      return ApiResponse.json(
          201, binding.bind(path.namespace(), path.name(), body(request), request.dryRun()));
    }
    if (!path.isCollection()) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource");
    }
    requireVerb(type, "create");
    if (type.equals(ResourceTypes.BINDINGS)) {
      return ApiResponse.json(
          201, binding.bind(path.namespace(), null, body(request), request.dryRun()));
    }
    if (!type.stored()) {
      return ApiResponse.json(201, AccessReviews.review(type, body(request)));
    }
    return ApiResponse.json(
        201, registry.create(type, path.namespace(), body(request), request.dryRun()));
  }

  private ApiResponse delete(ApiRequest request, ResourcePath path) {
    DeleteOptions options = DeleteOptions.from(request.body(), request.query());
    if (path.isCollection()) {
      requireVerb(path.type(), "deletecollection");
      return ApiResponse.json(200, deleter.deleteCollection(filter(path, request), options));
    }
    requireVerb(path.type(), "delete");
    if (path.subresource() != null) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource");
    }
    return ApiResponse.json(
        200, deleter.delete(path.type(), path.namespace(), path.name(), options));
  }

  private ObjectFilter filter(ResourcePath path, ApiRequest request) {
    FieldSelector fields = FieldSelector.parse(request.param("fieldSelector"), path.type());
    if (path.name() != null) {
      String pinned = "metadata.name=" + path.name();
      String given = request.param("fieldSelector");
      fields =
          FieldSelector.parse(
              given == null || given.isBlank() ? pinned : given + "," + pinned, path.type());
    }
    return new ObjectFilter(
        path.type(), path.namespace(), LabelSelector.parse(request.param("labelSelector")), fields);
  }

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

  private ApiResponse passThrough(ApiRequest request) {
    HttpMethod method;
    try {
      method = HttpMethod.valueOf(request.method().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.methodNotAllowed("unsupported method " + request.method());
    }
    if (request.isWatch()) {
      throw ApiException.notFound("watching resources the sandbox does not model is not supported");
    }
    Headers headers =
        Headers.builder()
            .add("Content-Type", request.contentType())
            .add("Accept", request.accept())
            .build();
    String target = request.path() + queryString(request);
    RecordedRequest recorded =
        new RecordedRequest("HTTP/1.1", method, target, headers, new Buffer(request.bytes()));
    MockResponse response = registry.store().passThrough(recorded);
    Buffer body = response.getBody();
    String text = body == null ? "" : new String(body.getBytes(), StandardCharsets.UTF_8);
    return new ApiResponse(response.code(), "application/json", text);
  }

  private static String queryString(ApiRequest request) {
    StringBuilder query = new StringBuilder();
    request
        .query()
        .forEach(
            (name, values) ->
                values.forEach(
                    value ->
                        query
                            .append(query.length() == 0 ? "?" : "&")
                            .append(name)
                            .append('=')
                            .append(URLEncoder.encode(value, StandardCharsets.UTF_8))));
    return query.toString();
  }

  private static ObjectNode body(ApiRequest request) {
    String contentType = request.contentType().toLowerCase(Locale.ROOT);
    if (contentType.contains("protobuf")) {
      return ProtobufBodies.decode(request.bytes(), request.contentType());
    }
    if (contentType.contains("cbor")) {
      throw ApiException.unsupportedMediaType(request.contentType());
    }
    return Json.parseObject(request.body(), contentType.contains("yaml"));
  }

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

  /**
   * Only {@code status} (for types that have it) and {@code pods/binding} are served; the binding
   * takes POST alone (405 otherwise, as a real server answers).
   */
  private static void requireServedSubresource(ApiRequest request, ResourcePath path) {
    String subresource = path.subresource();
    boolean binding = "binding".equals(subresource) && path.type().equals(ResourceTypes.PODS);
    if (binding && !request.method().equals("POST")) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource");
    }
    boolean served =
        subresource == null || (subresource.equals("status") && path.type().hasStatus()) || binding;
    if (!served) {
      throw ApiException.notFound(
          "the server could not find the requested resource ("
              + path.type().plural()
              + "/"
              + subresource
              + " is not served by the sandbox)");
    }
  }

  private static void requireObject(ResourcePath path) {
    if (path.isCollection()) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource");
    }
  }

  private static void requireVerb(ResourceType type, String verb) {
    if (!type.supports(verb)) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource ("
              + verb
              + " "
              + type.plural()
              + ")");
    }
  }
}
