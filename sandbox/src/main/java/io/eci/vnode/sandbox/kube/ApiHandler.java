package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
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
  private final WatchRequests watches;
  private final MockPassThrough passThrough;
  private final OpenApiV3 openApi;

  private final AccessReviews accessReviews = new AccessReviews();

  ApiHandler(ResourceTypes types, Discovery discovery, Registry registry, WatchHub watches) {
    this.types = types;
    this.discovery = discovery;
    this.registry = registry;
    this.deleter = new Deleter(registry, types);
    this.binding = new PodBinding(registry);
    this.watches = new WatchRequests(types, registry, watches);
    this.passThrough = new MockPassThrough(registry.store());
    this.openApi = new OpenApiV3(types);
  }

  /** What this cluster's access reviews answer. */
  AccessReviews accessReviews() {
    return accessReviews;
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
    return watches.isWatch(request);
  }

  /**
   * Opens a watch whose events go to {@code sink}.
   *
   * @throws ApiException when the request is not a valid watch (answer it as an error instead of
   *     streaming)
   */
  WatchHub.Subscription watch(ApiRequest request, WatchHub.Sink sink) {
    return watches.open(request, sink);
  }

  /**
   * Checks a watch before it is answered (an invalid selector or version is a plain 400, not a
   * stream); returns its path.
   *
   * @throws ApiException what is wrong with it
   */
  ResourcePath validateWatch(ApiRequest request) {
    return watches.validate(request);
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
    if (MockPassThrough.isGroupDiscovery(path)) {
      return passThrough.groupDiscovery(request);
    }
    if (path.startsWith("/api/") || path.startsWith("/apis/")) {
      return passThrough.answer(request);
    }
    throw ApiException.notFound("the server could not find the requested resource");
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
        type.requireVerb("update");
        yield ApiResponse.json(200, registry.update(path, request.object(), request.dryRun()));
      }
      case "PATCH" -> {
        requireObject(path);
        type.requireVerb("patch");
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
      path.type().requireVerb("list");
      ObjectNode list = registry.list(ObjectFilter.of(path, request));
      return ApiResponse.json(200, render(request, path.type(), list));
    }
    path.type().requireVerb("get");
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
          201, binding.bind(path.namespace(), path.name(), request.object(), request.dryRun()));
    }
    if (!path.isCollection()) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource");
    }
    type.requireVerb("create");
    if (type.equals(ResourceTypes.BINDINGS)) {
      return ApiResponse.json(
          201, binding.bind(path.namespace(), null, request.object(), request.dryRun()));
    }
    if (!type.stored()) {
      return ApiResponse.json(201, accessReviews.review(type, request.object()));
    }
    return ApiResponse.json(
        201, registry.create(type, path.namespace(), request.object(), request.dryRun()));
  }

  private ApiResponse delete(ApiRequest request, ResourcePath path) {
    DeleteOptions options = DeleteOptions.from(request.body(), request.query());
    if (path.isCollection()) {
      path.type().requireVerb("deletecollection");
      return ApiResponse.json(
          200, deleter.deleteCollection(ObjectFilter.of(path, request), options));
    }
    path.type().requireVerb("delete");
    if (path.subresource() != null) {
      throw ApiException.methodNotAllowed(
          "the server does not allow this method on the requested resource");
    }
    return ApiResponse.json(
        200, deleter.delete(path.type(), path.namespace(), path.name(), options));
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
}
