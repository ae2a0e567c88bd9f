package io.eci.vnode.service.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eci.vnode.service.ClusterBodies;
import io.eci.vnode.service.api.ApiProblem;
import io.eci.vnode.service.api.Problem.InvalidParam;
import io.eci.vnode.service.cluster.ClusterSpec.ApiCredentialsSpec;
import io.eci.vnode.service.cluster.ClusterSpec.ApiServerSpec;
import io.eci.vnode.service.cluster.ClusterSpec.EciCredentialsSpec;
import io.eci.vnode.service.cluster.ClusterSpec.EciSpec;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry's rules, decided without HTTP or a database: what {@code ClusterValidationIT} checks
 * through the API, one decision per case.
 */
class ClusterValidatorTest {

  private static final String CA = ClusterBodies.pki("ca.pem");
  private static final ApiCredentialsSpec TOKEN =
      new ApiCredentialsSpec("s3cret-token", null, null, null);
  private static final EciCredentialsSpec ACCESS_KEY =
      new EciCredentialsSpec("LTAI5tTestAccessKey", "access-key-secret", null);

  static Stream<Arguments> invalidRegistrations() {
    return Stream.of(
        invalid("malformed API server URL", "apiServer.url", url("https://exa mple:6443")),
        invalid("relative API server URL", "apiServer.url", url("/just/a/path")),
        invalid("plain-http API server", "apiServer.url", url("http://203.0.113.10:6443")),
        invalid(
            "plain-http loopback API server while not allowed",
            "apiServer.url",
            url("http://127.0.0.1:6443")),
        invalid("missing API server URL", "apiServer.url", url(null)),
        invalid("API server URL with a query", "apiServer.url", url("https://k:6443/?a=b")),
        invalid("CA that is not PEM", "apiServer.caBundle", ca("not a certificate")),
        invalid(
            "CA with a broken PEM body",
            "apiServer.caBundle",
            ca("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")),
        invalid("unknown region", "region", s -> withRegion(s, "cn-atlantis")),
        invalid("missing region", "region", s -> withRegion(s, null)),
        invalid(
            "vSwitch id of the wrong form",
            "eci.vSwitchIds[1]",
            vSwitches(List.of("vsw-ok", "subnet-1"))),
        invalid("no vSwitch", "eci.vSwitchIds", vSwitches(List.of())),
        invalid(
            "more than ten vSwitches",
            "eci.vSwitchIds",
            vSwitches(Stream.of("a0b1c2d3e4f5g6h7i8j9k".split("")).map(c -> "vsw-" + c).toList())),
        invalid("repeated vSwitch", "eci.vSwitchIds[1]", vSwitches(List.of("vsw-a", "vsw-a"))),
        invalid(
            "security group of the wrong form",
            "eci.securityGroupId",
            s -> withEci(s, new EciSpec(s.eci().vSwitchIds(), "vpc-123", true, ACCESS_KEY))),
        invalid("unknown mode", "mode", s -> withMode(s, "sometimes")),
        invalid("missing mode", "mode", s -> withMode(s, null)),
        invalid("name that is not a DNS label", "name", s -> withName(s, "Prod_HZ")),
        invalid("missing name", "name", s -> withName(s, null)),
        invalid(
            "two kinds of API credentials",
            "apiServer.credentials",
            apiCredentials(new ApiCredentialsSpec("a", null, null, "b"))),
        invalid("no API credentials", "apiServer.credentials", apiCredentials(null)),
        invalid(
            "token with whitespace",
            "apiServer.credentials.token",
            apiCredentials(new ApiCredentialsSpec("two words", null, null, null))),
        invalid(
            "blank token",
            "apiServer.credentials.token",
            apiCredentials(new ApiCredentialsSpec("   ", null, null, null))),
        invalid(
            "client certificate that is not PEM",
            "apiServer.credentials.clientCertificate",
            apiCredentials(
                new ApiCredentialsSpec(null, "nope", ClusterBodies.pki("client.key"), null))),
        invalid(
            "client key that is not PEM",
            "apiServer.credentials.clientKey",
            apiCredentials(
                new ApiCredentialsSpec(null, ClusterBodies.pki("client.pem"), "nope", null))),
        invalid(
            "kubeconfig that is not YAML",
            "apiServer.credentials.kubeconfig",
            kubeconfig("{{{ not: yaml")),
        invalid(
            "kubeconfig with an exec plugin",
            "apiServer.credentials.kubeconfig",
            kubeconfig(
                Kubeconfigs.withUser(
                    "https://198.51.100.7:6443", "    exec:\n      command: /bin/sh\n"))),
        invalid(
            "kubeconfig with a plain-http server",
            "apiServer.credentials.kubeconfig server",
            kubeconfig(Kubeconfigs.withToken("http://198.51.100.7:6443"))),
        invalid(
            "URL next to a kubeconfig",
            "apiServer.url",
            s ->
                withApiServer(
                    s,
                    new ApiServerSpec(
                        "https://198.51.100.7:6443",
                        null,
                        new ApiCredentialsSpec(
                            null,
                            null,
                            null,
                            Kubeconfigs.withToken("https://198.51.100.7:6443"))))),
        invalid(
            "AccessKey without its secret",
            "eci.credentials.accessKeySecret",
            eciCredentials(new EciCredentialsSpec("LTAI5tTestAccessKey", null, null))),
        invalid(
            "AccessKey id of the wrong form",
            "eci.credentials.accessKeyId",
            eciCredentials(new EciCredentialsSpec("short", "secret", null))),
        invalid(
            "AccessKey and RAM role together",
            "eci.credentials",
            eciCredentials(
                new EciCredentialsSpec("LTAI5tTestAccessKey", "x", "acs:ram::1:role/r"))),
        invalid(
            "malformed RAM role ARN",
            "eci.credentials.ramRoleArn",
            eciCredentials(new EciCredentialsSpec(null, null, "arn:aws:iam::1:role/x"))),
        invalid("no ECI credentials", "eci.credentials", eciCredentials(null)),
        invalid("no ECI section", "eci", s -> withEci(s, null)),
        invalid("no API server section", "apiServer", s -> withApiServer(s, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRegistrations")
  void refusesAnInvalidRegistrationNamingTheField(
      String description, String field, UnaryOperator<ClusterSpec> breakIt) {
    assertThat(fieldsRefused(() -> validator().registration(breakIt.apply(valid()))))
        .contains(field);
  }

  @Test
  void acceptsAValidRegistrationAsItWillBeStored() {
    ClusterDraft draft = validator().registration(valid());

    assertThat(draft.name()).isEqualTo("prod-hz");
    assertThat(draft.mode()).isEqualTo(Mode.MANAGED);
    assertThat(draft.paused()).isFalse();
    assertThat(draft.apiServer().credentialType()).isEqualTo(Cluster.TOKEN);
    assertThat(draft.apiServer().newCredentials()).isEqualTo(TOKEN);
    assertThat(draft.eci().credentialType()).isEqualTo(ClusterConfig.ACCESS_KEY);
    assertThat(draft.eci().newAccessKeySecret()).isEqualTo("access-key-secret");
    assertThat(draft.eci().vSwitchIds()).containsExactly("vsw-a", "vsw-b");
  }

  @Test
  void refusesABodyThatIsNotThere() {
    assertThat(fieldsRefused(() -> validator().registration(null))).containsExactly("body");
  }

  @Test
  void reportsEveryInvalidFieldAtOnce() {
    ClusterSpec body =
        withEci(
            url("http://x").apply(withRegion(valid(), "nowhere")),
            new EciSpec(List.of("vsw-a"), "bad", true, ACCESS_KEY));

    assertThat(fieldsRefused(() -> validator().registration(body)))
        .containsExactlyInAnyOrder("region", "apiServer.url", "eci.securityGroupId");
  }

  @Test
  void acceptsAPlainHttpLoopbackApiServerOnlyWhereTheOperatorAllowsIt() {
    ClusterSpec local = url("http://127.0.0.1:6443").apply(valid());

    assertThat(new ClusterValidator(true).registration(local).apiServer().url())
        .isEqualTo("http://127.0.0.1:6443");
    assertThat(
            fieldsRefused(
                () ->
                    new ClusterValidator(true)
                        .registration(url("http://203.0.113.10:6443").apply(valid()))))
        .containsExactly("apiServer.url");
  }

  @Test
  void takesTheApiServerFromAKubeconfig() {
    ClusterDraft draft =
        validator()
            .registration(
                kubeconfig(Kubeconfigs.withToken("https://198.51.100.7:6443")).apply(valid()));

    assertThat(draft.apiServer().url()).isEqualTo("https://198.51.100.7:6443");
    assertThat(draft.apiServer().caBundle()).isEqualTo(CA);
    assertThat(draft.apiServer().credentialType()).isEqualTo(Cluster.KUBECONFIG);
  }

  @Test
  void acceptsARamRoleInsteadOfAnAccessKey() {
    ClusterDraft draft =
        validator()
            .registration(
                eciCredentials(new EciCredentialsSpec(null, null, "acs:ram::123:role/eci"))
                    .apply(valid()));

    assertThat(draft.eci().credentialType()).isEqualTo(ClusterConfig.RAM_ROLE);
    assertThat(draft.eci().ramRoleArn()).isEqualTo("acs:ram::123:role/eci");
    assertThat(draft.eci().accessKeyId()).isNull();
  }

  @Test
  void refusesAChangeOfRegion() {
    ClusterSpec move = new ClusterSpec(null, "cn-beijing", null, null, null, null);

    assertThat(fieldsRefused(() -> validator().change(stored(), move))).containsExactly("region");
  }

  @Test
  void validatesAChangeAsTheClusterItWouldProduce() {
    ClusterSpec plainHttp =
        new ClusterSpec(
            null, null, null, null, new ApiServerSpec("http://203.0.113.10", null, null), null);

    assertThat(fieldsRefused(() -> validator().change(stored(), plainHttp)))
        .containsExactly("apiServer.url");
  }

  @Test
  void aChangeKeepsWhatItDoesNotMentionAndTheStoredSecrets() {
    ClusterDraft stored = stored();
    ClusterSpec pause = new ClusterSpec("renamed", null, null, true, null, null);

    ClusterDraft changed = validator().change(stored, pause);

    assertThat(changed.name()).isEqualTo("renamed");
    assertThat(changed.paused()).isTrue();
    assertThat(changed.apiServer()).isEqualTo(stored.apiServer());
    assertThat(changed.eci()).isEqualTo(stored.eci());
  }

  @Test
  void aChangeOfVSwitchesKeepsTheStoredCredentials() {
    ClusterSpec vSwitches =
        new ClusterSpec(
            null, null, null, null, null, new EciSpec(List.of("vsw-c"), null, null, null));

    ClusterDraft changed = validator().change(stored(), vSwitches);

    assertThat(changed.eci().vSwitchIds()).containsExactly("vsw-c");
    assertThat(changed.eci().securityGroupId()).isEqualTo("sg-a");
    assertThat(changed.eci().credentialType()).isEqualTo(ClusterConfig.ACCESS_KEY);
    assertThat(changed.eci().newAccessKeySecret()).as("the stored secret is kept").isNull();
  }

  // ---- helpers

  private static ClusterValidator validator() {
    return new ClusterValidator(false);
  }

  private static List<String> fieldsRefused(Runnable validation) {
    ApiProblem problem = catchThrowableOfType(ApiProblem.class, validation::run);
    assertThat(problem).as("refused").isNotNull();
    assertThat(problem.status()).isEqualTo(400);
    return problem.toProblem("/", null).invalidParams().stream().map(InvalidParam::name).toList();
  }

  private static ClusterSpec valid() {
    return new ClusterSpec(
        "prod-hz",
        "cn-hangzhou",
        "managed",
        null,
        new ApiServerSpec("https://203.0.113.10:6443", CA, TOKEN),
        new EciSpec(List.of("vsw-a", "vsw-b"), "sg-a", true, ACCESS_KEY));
  }

  /** What the registry holds after {@link #valid()}: secrets are never read back. */
  private static ClusterDraft stored() {
    ClusterDraft registered = validator().registration(valid());
    return new ClusterDraft(
        registered.name(),
        registered.region(),
        registered.mode(),
        false,
        new ClusterDraft.ApiServer(
            registered.apiServer().url(), CA, registered.apiServer().credentialType(), null),
        new ClusterDraft.Eci(
            registered.eci().vSwitchIds(),
            "sg-a",
            true,
            ClusterConfig.ACCESS_KEY,
            "LTAI5tTestAccessKey",
            null,
            null));
  }

  private static Arguments invalid(
      String description, String field, UnaryOperator<ClusterSpec> breakIt) {
    return Arguments.of(description, field, breakIt);
  }

  private static ClusterSpec withName(ClusterSpec s, String name) {
    return new ClusterSpec(name, s.region(), s.mode(), s.paused(), s.apiServer(), s.eci());
  }

  private static ClusterSpec withRegion(ClusterSpec s, String region) {
    return new ClusterSpec(s.name(), region, s.mode(), s.paused(), s.apiServer(), s.eci());
  }

  private static ClusterSpec withMode(ClusterSpec s, String mode) {
    return new ClusterSpec(s.name(), s.region(), mode, s.paused(), s.apiServer(), s.eci());
  }

  private static ClusterSpec withApiServer(ClusterSpec s, ApiServerSpec apiServer) {
    return new ClusterSpec(s.name(), s.region(), s.mode(), s.paused(), apiServer, s.eci());
  }

  private static ClusterSpec withEci(ClusterSpec s, EciSpec eci) {
    return new ClusterSpec(s.name(), s.region(), s.mode(), s.paused(), s.apiServer(), eci);
  }

  private static UnaryOperator<ClusterSpec> url(String url) {
    return s ->
        withApiServer(
            s, new ApiServerSpec(url, s.apiServer().caBundle(), s.apiServer().credentials()));
  }

  private static UnaryOperator<ClusterSpec> ca(String caBundle) {
    return s ->
        withApiServer(
            s, new ApiServerSpec(s.apiServer().url(), caBundle, s.apiServer().credentials()));
  }

  private static UnaryOperator<ClusterSpec> apiCredentials(ApiCredentialsSpec credentials) {
    return s ->
        withApiServer(
            s, new ApiServerSpec(s.apiServer().url(), s.apiServer().caBundle(), credentials));
  }

  private static UnaryOperator<ClusterSpec> kubeconfig(String document) {
    return s ->
        withApiServer(
            s, new ApiServerSpec(null, null, new ApiCredentialsSpec(null, null, null, document)));
  }

  private static UnaryOperator<ClusterSpec> vSwitches(List<String> ids) {
    return s ->
        withEci(
            s,
            new EciSpec(
                ids, s.eci().securityGroupId(), s.eci().kubeProxy(), s.eci().credentials()));
  }

  private static UnaryOperator<ClusterSpec> eciCredentials(EciCredentialsSpec credentials) {
    return s ->
        withEci(
            s,
            new EciSpec(
                s.eci().vSwitchIds(), s.eci().securityGroupId(), s.eci().kubeProxy(), credentials));
  }
}
