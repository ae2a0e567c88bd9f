package io.eci.vnode.service.api;

import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the OpenAPI document with what every operation shares, so no resource can forget it:
 * the bearer token scheme (Swagger UI then sends the token), and the problem documents it answers
 * with when it refuses a request. Success codes and bodies are on each resource method.
 */
public class OpenApiContract implements OASFilter {

  /** The name of the security scheme in the document. */
  public static final String BEARER = "bearer";

  private static final String PROBLEM_REF = "#/components/schemas/Problem";
  private static final Map<String, String> EVERY_OPERATION =
      Map.of(
          "400", "The request is invalid; invalid-params names the fields",
          "500", "The service failed; quote the requestId");
  private static final Map<String, String> WITH_ID =
      Map.of("404", "Nothing the caller may see has this id");
  private static final Map<String, String> AUTHENTICATED =
      Map.of(
          "401", "No usable bearer token",
          "403", "The token's role may not do this");
  private static final Map<String, String> WITH_BODY =
      Map.of(
          "413", "The body is larger than the API accepts",
          "415", "The body is not JSON");

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    Components components = openApi.getComponents();
    if (components == null) {
      components = OASFactory.createComponents();
      openApi.setComponents(components);
    }
    components.addSecurityScheme(
        BEARER,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .description(
                "An API token: the operator token or one issued to a tenant; on /agent/, an"
                    + " agent token of the cluster"));
    components.addSchema("Problem", problemSchema());
    if (openApi.getPaths() == null) {
      return;
    }
    openApi
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) -> {
              boolean authenticated = path.startsWith("/api/") || path.startsWith("/agent/");
              boolean withId = path.contains("{");
              item.getOperations().values().forEach(op -> complete(op, authenticated, withId));
            });
  }

  private static void complete(Operation operation, boolean authenticated, boolean withId) {
    APIResponses responses = operation.getResponses();
    if (responses == null) {
      responses = OASFactory.createAPIResponses();
      operation.setResponses(responses);
    }
    addProblems(responses, EVERY_OPERATION);
    if (withId) {
      addProblems(responses, WITH_ID);
    }
    if (authenticated) {
      addProblems(responses, AUTHENTICATED);
      operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER));
    }
    if (operation.getRequestBody() != null) {
      addProblems(responses, WITH_BODY);
    }
    // Refusals a resource documents itself (412, 428...) are problem documents too.
    Map<String, String> refusals = new TreeMap<>();
    responses.getAPIResponses().keySet().stream()
        .filter(code -> code.startsWith("4") || code.startsWith("5"))
        .forEach(code -> refusals.put(code, ""));
    addProblems(responses, refusals);
  }

  private static void addProblems(APIResponses responses, Map<String, String> problems) {
    problems.forEach(
        (code, description) -> {
          APIResponse response = responses.getAPIResponse(code);
          if (response == null) {
            response = OASFactory.createAPIResponse().description(description);
            responses.addAPIResponse(code, response);
          }
          // Also for the answers a resource documents itself, which name no body.
          if (response.getContent() == null) {
            response.setContent(OASFactory.createContent());
          }
          if (!response.getContent().hasMediaType(Problem.MEDIA_TYPE)) {
            response
                .getContent()
                .addMediaType(
                    Problem.MEDIA_TYPE,
                    OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(PROBLEM_REF)));
          }
        });
  }

  private static Schema problemSchema() {
    Schema text = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    Schema invalidParam =
        OASFactory.createSchema()
            .addType(Schema.SchemaType.OBJECT)
            .addProperty("name", text)
            .addProperty("reason", text)
            .addRequired("name")
            .addRequired("reason");
    return OASFactory.createSchema()
        .addType(Schema.SchemaType.OBJECT)
        .description("An RFC 7807 problem document (application/problem+json)")
        .addProperty("type", text)
        .addProperty("title", text)
        .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
        .addProperty("detail", text)
        .addProperty("instance", text)
        .addProperty("requestId", text)
        .addProperty(
            "invalid-params",
            OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(invalidParam))
        .addRequired("type")
        .addRequired("title")
        .addRequired("status");
  }
}
