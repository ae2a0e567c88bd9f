package io.eci.vnode.service.cluster;

import static io.eci.vnode.service.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.eci.vnode.service.Api;
import io.eci.vnode.service.Api.TestTenant;
import io.eci.vnode.service.ClusterBodies;
import io.eci.vnode.service.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ClusterValidationIT {

  private TestTenant tenant;

  @BeforeEach
  void newTenant() {
    tenant = Api.newTenant();
  }

  static Stream<Arguments> invalidRegistrations() {
    return Stream.of(
        invalid(
            "malformed API server URL",
            "apiServer.url",
            b -> apiServer(b).put("url", "https://exa mple:6443")),
        invalid(
            "relative API server URL",
            "apiServer.url",
            b -> apiServer(b).put("url", "/just/a/path")),
        invalid(
            "plain-http API server",
            "apiServer.url",
            b -> apiServer(b).put("url", "http://203.0.113.10:6443")),
        invalid("missing API server URL", "apiServer.url", b -> apiServer(b).remove("url")),
        invalid(
            "CA that is not PEM",
            "apiServer.caBundle",
            b -> apiServer(b).put("caBundle", "not a certificate")),
        invalid(
            "CA with a broken PEM body",
            "apiServer.caBundle",
            b ->
                apiServer(b)
                    .put(
                        "caBundle",
                        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")),
        invalid("unknown region", "region", b -> b.put("region", "cn-atlantis")),
        invalid("missing region", "region", b -> b.remove("region")),
        invalid(
            "vSwitch id of the wrong form",
            "eci.vSwitchIds[1]",
            b -> eci(b).put("vSwitchIds", List.of("vsw-ok", "subnet-1"))),
        invalid("no vSwitch", "eci.vSwitchIds", b -> eci(b).put("vSwitchIds", List.of())),
        invalid(
            "repeated vSwitch",
            "eci.vSwitchIds[1]",
            b -> eci(b).put("vSwitchIds", List.of("vsw-a", "vsw-a"))),
        invalid(
            "security group of the wrong form",
            "eci.securityGroupId",
            b -> eci(b).put("securityGroupId", "vpc-123")),
        invalid("unknown mode", "mode", b -> b.put("mode", "sometimes")),
        invalid("missing mode", "mode", b -> b.remove("mode")),
        invalid("name that is not a DNS label", "name", b -> b.put("name", "Prod_HZ")),
        invalid(
            "two kinds of API credentials",
            "apiServer.credentials",
            b -> apiServer(b).put("credentials", Map.of("token", "a", "kubeconfig", "b"))),
        invalid(
            "no API credentials", "apiServer.credentials", b -> apiServer(b).remove("credentials")),
        invalid(
            "client certificate that is not PEM",
            "apiServer.credentials.clientCertificate",
            b ->
                apiServer(b)
                    .put(
                        "credentials",
                        Map.of(
                            "clientCertificate",
                            "nope",
                            "clientKey",
                            ClusterBodies.pki("client.key")))),
        invalid(
            "client key that is not PEM",
            "apiServer.credentials.clientKey",
            b ->
                apiServer(b)
                    .put(
                        "credentials",
                        Map.of(
                            "clientCertificate",
                            ClusterBodies.pki("client.pem"),
                            "clientKey",
                            "nope"))),
        invalid(
            "kubeconfig that is not YAML",
            "apiServer.credentials.kubeconfig",
            b -> kubeconfig(b, "{{{ not: yaml")),
        invalid(
            "kubeconfig with an exec plugin",
            "apiServer.credentials.kubeconfig",
            b ->
                kubeconfig(
                    b,
                    Kubeconfigs.withUser(
                        "https://198.51.100.7:6443", "    exec:\n      command: /bin/sh\n"))),
        invalid(
            "kubeconfig with a plain-http server",
            "apiServer.credentials.kubeconfig server",
            b -> kubeconfig(b, Kubeconfigs.withToken("http://198.51.100.7:6443"))),
        invalid(
            "AccessKey without its secret",
            "eci.credentials.accessKeySecret",
            b -> eci(b).put("credentials", Map.of("accessKeyId", "LTAI5tTestAccessKey"))),
        invalid(
            "AccessKey and RAM role together",
            "eci.credentials",
            b ->
                eci(b)
                    .put(
                        "credentials",
                        Map.of(
                            "accessKeyId",
                            "LTAI5tTestAccessKey",
                            "accessKeySecret",
                            "x",
                            "ramRoleArn",
                            "acs:ram::1:role/r"))),
        invalid(
            "malformed RAM role ARN",
            "eci.credentials.ramRoleArn",
            b -> eci(b).put("credentials", Map.of("ramRoleArn", "arn:aws:iam::1:role/x"))),
        invalid("no ECI section", "eci", b -> b.remove("eci")),
        invalid(
            "misspelt field", "eci.vswitchIds", b -> eci(b).put("vswitchIds", List.of("vsw-a"))),
        invalid("field of the wrong type", "eci.kubeProxy", b -> eci(b).put("kubeProxy", "maybe")),
        invalid("paused that is not a boolean", "paused", b -> b.put("paused", "maybe")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRegistrations")
  void rejectsAnInvalidRegistrationNamingTheField(
      String description, String field, Consumer<Map<String, Object>> breakIt) {
    Map<String, Object> body = ClusterBodies.valid("invalid-" + Math.abs(description.hashCode()));
    breakIt.accept(body);
    as(tenant)
        .body(body)
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400))
        .body("title", equalTo("Invalid request"))
        .body("requestId", notNullValue())
        .body("invalid-params.name", hasItem(field));
    as(tenant).get("/api/v1/clusters").then().body("items.size()", equalTo(0));
  }

  @Test
  void reportsEveryInvalidFieldAtOnce() {
    Map<String, Object> body = ClusterBodies.valid("many-errors");
    body.put("region", "nowhere");
    apiServer(body).put("url", "http://x");
    eci(body).put("securityGroupId", "bad");
    as(tenant)
        .body(body)
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(400)
        .body(
            "invalid-params.name",
            containsInAnyOrder("region", "apiServer.url", "eci.securityGroupId"));
  }

  @Test
  void rejectsADuplicateNameWithinATenant() {
    Api.registerCluster(tenant, "twice");
    as(tenant)
        .body(ClusterBodies.valid("twice"))
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("invalid-params.name", hasItem("name"));
  }

  @Test
  void allowsTheSameNameInAnotherTenant() {
    Api.registerCluster(tenant, "shared-name");
    Api.registerCluster(Api.newTenant(), "shared-name");
  }

  @Test
  void rejectsRenamingOntoAnExistingName() {
    Api.registerCluster(tenant, "taken");
    String id = Api.registerCluster(tenant, "renamed");
    Api.change(tenant, id, 0, Map.of("name", "taken"))
        .then()
        .statusCode(409)
        .body("invalid-params.name", hasItem("name"));
  }

  @Test
  void rejectsAChangeOfRegion() {
    String id = Api.registerCluster(tenant, "stays-put");
    Api.change(tenant, id, 0, Map.of("region", "cn-beijing"))
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("region"));
  }

  @Test
  void validatesAChangeAsTheClusterItWouldProduce() {
    String id = Api.registerCluster(tenant, "change-checked");
    Api.change(tenant, id, 0, Map.of("apiServer", Map.of("url", "http://203.0.113.10")))
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("apiServer.url"));
    as(tenant).get("/api/v1/clusters/{id}", id).then().body("version", equalTo(0));
  }

  @Test
  void rejectsAnOversizeBody() {
    Map<String, Object> body = ClusterBodies.valid("huge");
    apiServer(body).put("credentials", Map.of("token", "x".repeat(300_000)));
    as(tenant)
        .body(body)
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("status", equalTo(413));
  }

  @Test
  void rejectsAWrongContentType() {
    given()
        .auth()
        .oauth2(tenant.token())
        .contentType(ContentType.XML)
        .body("<cluster/>")
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("detail", containsString("application/json"));
  }

  @Test
  void rejectsMalformedJson() {
    as(tenant)
        .body("{\"name\": \"x\", ")
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("invalid-params.name", hasItem("body"));
  }

  @Test
  void rejectsAnEmptyBody() {
    as(tenant)
        .post(Api.CLUSTERS_UNCHECKED)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("invalid-params.name", hasItem("body"));
  }

  @Test
  void rejectsAnOutOfRangePageSize() {
    as(tenant)
        .queryParam("limit", 0)
        .get("/api/v1/clusters")
        .then()
        .statusCode(400)
        .body("invalid-params.name", hasItem("limit"));
  }

  @Test
  void answersAnUnknownPathWithAProblem() {
    as(tenant)
        .get("/api/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }

  @Test
  void answersAWrongMethodWithAProblem() {
    as(tenant)
        .put("/api/v1/clusters")
        .then()
        .statusCode(405)
        .contentType("application/problem+json");
  }

  private static Arguments invalid(
      String description, String field, Consumer<Map<String, Object>> breakIt) {
    return Arguments.of(description, field, breakIt);
  }

  private static Map<String, Object> apiServer(Map<String, Object> body) {
    return ClusterBodies.at(body, "apiServer");
  }

  private static Map<String, Object> eci(Map<String, Object> body) {
    return ClusterBodies.at(body, "eci");
  }

  private static void kubeconfig(Map<String, Object> body, String document) {
    apiServer(body).remove("url");
    apiServer(body).remove("caBundle");
    apiServer(body).put("credentials", Map.of("kubeconfig", document));
  }
}
