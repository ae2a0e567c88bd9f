package io.eci.vnode.engine.translate;

import static io.eci.vnode.engine.translate.Pods.CONTEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eci.vnode.engine.translate.Pods.FakeReferences;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodTranslatorTest {

  private final FakeReferences references = new FakeReferences();

  @Test
  void translatesTheContainerAndTagsTheInstanceWithItsPod() {
    Pod pod =
        Pods.nginx()
            .editSpec()
            .withTerminationGracePeriodSeconds(45L)
            .editFirstContainer()
            .withCommand("/bin/sh", "-c")
            .withArgs("nginx -g 'daemon off;'")
            .withWorkingDir("/srv")
            .withImagePullPolicy("IfNotPresent")
            .addNewPort()
            .withContainerPort(80)
            .withProtocol("TCP")
            .endPort()
            .endContainer()
            .endSpec()
            .build();
    Translation t = PodTranslator.translate(pod, references, CONTEXT);
    Map<String, String> q = wire(t);

    assertThat(t.create().clientToken()).isEqualTo("0b7f3c1e-1111-4222-8333-444455556666");
    assertThat(q)
        .containsEntry("ContainerGroupName", "shop-web")
        .containsEntry("SecurityGroupId", "sg-node")
        .containsEntry("VSwitchId", "vsw-a,vsw-b")
        .containsEntry("RestartPolicy", "Always")
        .containsEntry("TerminationGracePeriodSeconds", "45")
        .containsEntry("Container.1.Name", "app")
        .containsEntry("Container.1.Image", "nginx:1.27")
        .containsEntry("Container.1.Command.1", "/bin/sh")
        .containsEntry("Container.1.Command.2", "-c")
        .containsEntry("Container.1.Arg.1", "nginx -g 'daemon off;'")
        .containsEntry("Container.1.WorkingDir", "/srv")
        .containsEntry("Container.1.ImagePullPolicy", "IfNotPresent")
        .containsEntry("Container.1.Port.1.Port", "80")
        .containsEntry("Container.1.Port.1.Protocol", "TCP");
    assertThat(tags(q))
        .containsEntry("eci-vnode/cluster", "cluster-1")
        .containsEntry("eci-vnode/namespace", "shop")
        .containsEntry("eci-vnode/pod-name", "web")
        .containsEntry("eci-vnode/pod-uid", "0b7f3c1e-1111-4222-8333-444455556666")
        .containsEntry("eci-vnode/node", "virtual-kubelet-cn-hangzhou-a");
  }

  @Test
  void resolvesEnvironmentFromValuesFieldsConfigMapsAndSecrets() {
    references
        .with(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("settings")
                .endMetadata()
                .addToData("mode", "fast")
                .addToData("level", "3")
                .build())
        .with(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("db")
                .endMetadata()
                .addToData("password", b64("hunter2"))
                .build());
    Pod pod =
        Pods.nginx()
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("PLAIN")
            .withValue("v")
            .endEnv()
            .addNewEnv()
            .withName("POD")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.podIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("MODE")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("mode", "settings", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("DB_PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef("password", "db", false)
            .endValueFrom()
            .endEnv()
            .addNewEnvFrom()
            .withPrefix("CFG_")
            .withNewConfigMapRef("settings", false)
            .endEnvFrom()
            .endContainer()
            .endSpec()
            .build();
    Map<String, String> env = env(wire(PodTranslator.translate(pod, references, CONTEXT)));

    assertThat(env)
        .containsEntry("PLAIN", "v")
        .containsEntry("POD", "web")
        .containsEntry("IP", "fieldRef:status.podIP")
        .containsEntry("MODE", "fast")
        .containsEntry("DB_PASSWORD", "hunter2")
        .containsEntry("CFG_mode", "fast")
        .containsEntry("CFG_level", "3");
  }

  @Test
  void waitsForAConfigMapThatDoesNotExistYet() {
    Pod pod =
        Pods.nginx()
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("MODE")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("mode", "later", false)
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("OPT")
            .withNewValueFrom()
            .withNewConfigMapKeyRef("mode", "optional", true)
            .endValueFrom()
            .endEnv()
            .endContainer()
            .endSpec()
            .build();
    assertThatThrownBy(() -> PodTranslator.translate(pod, references, CONTEXT))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TranslationException.Kind.WAITING);
              assertThat(e.reasons()).singleElement().asString().contains("ConfigMap later");
            });
  }

  @Test
  void sizesContainersByLimitsThenRequests() {
    Pod pod =
        Pods.nginx()
            .editSpec()
            .editFirstContainer()
            .withNewResources()
            .addToRequests("cpu", new Quantity("250m"))
            .addToRequests("memory", new Quantity("512Mi"))
            .addToLimits("cpu", new Quantity("2"))
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    Map<String, String> q = wire(PodTranslator.translate(pod, references, CONTEXT));
    assertThat(q)
        .containsEntry("Container.1.Cpu", "2.0")
        .containsEntry("Container.1.Memory", "0.5");
  }

  @Test
  void translatesProbesHooksAndSecurityContext() {
    Pod pod =
        Pods.nginx()
            .editSpec()
            .editFirstContainer()
            .addNewPort()
            .withName("http")
            .withContainerPort(8080)
            .endPort()
            .withNewLivenessProbe()
            .withNewHttpGet()
            .withPath("/healthz")
            .withPort(new IntOrString("http"))
            .endHttpGet()
            .withPeriodSeconds(5)
            .endLivenessProbe()
            .withNewReadinessProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString(8080))
            .endTcpSocket()
            .endReadinessProbe()
            .withNewStartupProbe()
            .withNewExec()
            .withCommand("true")
            .endExec()
            .endStartupProbe()
            .withNewLifecycle()
            .withNewPreStop()
            .withNewExec()
            .withCommand("nginx", "-s", "quit")
            .endExec()
            .endPreStop()
            .endLifecycle()
            .withNewSecurityContext()
            .withRunAsUser(1000L)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withAdd("NET_ADMIN")
            .endCapabilities()
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    Translation t = PodTranslator.translate(pod, references, CONTEXT);
    Map<String, String> q = wire(t);
    assertThat(q)
        .containsEntry("Container.1.LivenessProbe.HttpGet.Path", "/healthz")
        .containsEntry("Container.1.LivenessProbe.HttpGet.Port", "8080")
        .containsEntry("Container.1.LivenessProbe.PeriodSeconds", "5")
        .containsEntry("Container.1.ReadinessProbe.TcpSocket.Port", "8080")
        .containsEntry("Container.1.LifecyclePreStopHandlerExec.1", "nginx")
        .containsEntry("Container.1.SecurityContext.RunAsUser", "1000")
        .containsEntry("Container.1.SecurityContext.ReadOnlyRootFilesystem", "true")
        .containsEntry("Container.1.SecurityContext.Capability.Add.1", "NET_ADMIN");
    assertThat(t.warnings()).singleElement().asString().contains("startupProbe");
  }

  @Test
  void translatesVolumes() {
    references
        .with(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("site")
                .endMetadata()
                .addToData("index.html", "<h1>hi</h1>")
                .build())
        .with(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("tls")
                .endMetadata()
                .addToData("tls.key", b64("KEY"))
                .build());
    Pod pod =
        Pods.nginx()
            .editSpec()
            .addNewVolume()
            .withName("scratch")
            .withNewEmptyDir()
            .withMedium("Memory")
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("site")
            .withNewConfigMap()
            .withName("site")
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("tls")
            .withNewSecret()
            .withSecretName("tls")
            .endSecret()
            .endVolume()
            .addNewVolume()
            .withName("shared")
            .withNewNfs()
            .withServer("nas.example")
            .withPath("/share")
            .endNfs()
            .endVolume()
            .addNewVolume()
            .withName("kube-api-access-x1")
            .withNewProjected()
            .endProjected()
            .endVolume()
            .editFirstContainer()
            .addNewVolumeMount()
            .withName("site")
            .withMountPath("/usr/share/nginx/html")
            .withReadOnly(true)
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build();
    Translation t = PodTranslator.translate(pod, references, CONTEXT);
    Map<String, String> q = wire(t);
    assertThat(q)
        .containsEntry("Volume.1.Type", "EmptyDirVolume")
        .containsEntry("Volume.1.EmptyDirVolume.Medium", "Memory")
        .containsEntry("Volume.2.Type", "ConfigFileVolume")
        .containsEntry("Volume.2.ConfigFileVolume.ConfigFileToPath.1.Path", "index.html")
        .containsEntry("Volume.2.ConfigFileVolume.ConfigFileToPath.1.Content", b64("<h1>hi</h1>"))
        .containsEntry("Volume.3.ConfigFileVolume.ConfigFileToPath.1.Content", b64("KEY"))
        .containsEntry("Volume.4.Type", "NFSVolume")
        .containsEntry("Volume.4.NFSVolume.Server", "nas.example")
        .containsEntry("Container.1.VolumeMount.1.MountPath", "/usr/share/nginx/html");
    assertThat(q).doesNotContainValue("kube-api-access-x1");
    assertThat(t.warnings()).singleElement().asString().contains("service account token");
  }

  @Test
  void refusesWhatEciCannotRunWithEveryReasonAtOnce() {
    Pod pod =
        Pods.nginx()
            .editMetadata()
            .addNewOwnerReference()
            .withKind("DaemonSet")
            .withName("agent")
            .withApiVersion("apps/v1")
            .withUid("u")
            .endOwnerReference()
            .endMetadata()
            .editSpec()
            .withHostNetwork(true)
            .addNewVolume()
            .withName("logs")
            .withNewHostPath()
            .withPath("/var/log")
            .endHostPath()
            .endVolume()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("data")
            .endPersistentVolumeClaim()
            .endVolume()
            .editFirstContainer()
            .withNewSecurityContext()
            .withPrivileged(true)
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    assertThatThrownBy(() -> PodTranslator.translate(pod, references, CONTEXT))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TranslationException.Kind.UNSUPPORTED);
              assertThat(e.podReason()).isEqualTo("UnsupportedPodSpec");
              assertThat(e.reasons())
                  .hasSize(5)
                  .anySatisfy(r -> assertThat(r).startsWith("hostNetwork"))
                  .anySatisfy(r -> assertThat(r).contains("DaemonSet"))
                  .anySatisfy(r -> assertThat(r).contains("volume logs: hostPath"))
                  .anySatisfy(r -> assertThat(r).contains("volume data: persistentVolumeClaim"))
                  .anySatisfy(r -> assertThat(r).contains("privileged"));
            });
  }

  @Test
  void pointsClusterFirstPodsAtTheClusterDns() {
    Map<String, String> q =
        wire(PodTranslator.translate(Pods.nginx().build(), references, CONTEXT));
    assertThat(q)
        .containsEntry("DnsPolicy", "None")
        .containsEntry("DnsConfig.NameServer.1", "172.21.0.10")
        .containsEntry("DnsConfig.Search.1", "shop.svc.cluster.local")
        .containsEntry("DnsConfig.Option.1.Name", "ndots")
        .containsEntry("DnsConfig.Option.1.Value", "5");

    Translation unknownDns =
        PodTranslator.translate(
            Pods.nginx().build(),
            references,
            new TranslationContext(Pods.CONFIG, "vk", Optional.empty()));
    assertThat(wire(unknownDns)).containsEntry("DnsPolicy", "Default");
    assertThat(unknownDns.warnings()).singleElement().asString().contains("DNS");
  }

  @Test
  void turnsDockerConfigSecretsIntoRegistryCredentialsAndCopiesHostAliases() {
    String config =
        "{\"auths\":{\"https://registry.example:5000\":{\"auth\":\""
            + b64("robot:s3cret")
            + "\"}}}";
    references.with(
        new SecretBuilder()
            .withNewMetadata()
            .withNamespace("shop")
            .withName("pull")
            .endMetadata()
            .withType("kubernetes.io/dockerconfigjson")
            .addToData(".dockerconfigjson", b64(config))
            .build());
    Pod pod =
        Pods.nginx()
            .editSpec()
            .addNewImagePullSecret("pull")
            .addNewHostAlias()
            .withIp("10.0.0.9")
            .withHostnames("db.local")
            .endHostAlias()
            .endSpec()
            .build();
    Map<String, String> q = wire(PodTranslator.translate(pod, references, CONTEXT));
    assertThat(q)
        .containsEntry("ImageRegistryCredential.1.Server", "registry.example:5000")
        .containsEntry("ImageRegistryCredential.1.UserName", "robot")
        .containsEntry("ImageRegistryCredential.1.Password", "s3cret")
        .containsEntry("HostAliase.1.Ip", "10.0.0.9")
        .containsEntry("HostAliase.1.Hostname.1", "db.local");
  }

  @Test
  void appliesSupportedAnnotationsAndRefusesUnknownOnesByName() {
    Pod pod =
        Pods.nginx()
            .editMetadata()
            .addToAnnotations("k8s.aliyun.com/eci-use-specs", "2-4Gi")
            .addToAnnotations("k8s.aliyun.com/eci-spot-strategy", "SpotAsPriceGo")
            .addToAnnotations("k8s.aliyun.com/eci-vswitch", "vsw-x")
            .addToAnnotations("k8s.aliyun.com/eci-instance-id", "eci-written-by-us")
            .endMetadata()
            .build();
    Map<String, String> q = wire(PodTranslator.translate(pod, references, CONTEXT));
    assertThat(q)
        .containsEntry("Cpu", "2.0")
        .containsEntry("Memory", "4.0")
        .containsEntry("SpotStrategy", "SpotAsPriceGo")
        .containsEntry("VSwitchId", "vsw-x");

    Pod unknown =
        Pods.nginx()
            .editMetadata()
            .addToAnnotations("k8s.aliyun.com/eci-with-eip", "true")
            .endMetadata()
            .build();
    assertThatThrownBy(() -> PodTranslator.translate(unknown, references, CONTEXT))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e ->
                assertThat(e.reasons())
                    .singleElement()
                    .asString()
                    .contains("k8s.aliyun.com/eci-with-eip")
                    .contains("supported:"));
  }

  @Test
  void namesTheInstanceAsEciAllows() {
    Pod pod = Pods.nginx().editMetadata().withName("api.v2.worker").endMetadata().build();
    assertThat(PodTranslator.instanceName(pod)).isEqualTo("shop-api-v2-worker");
  }

  static Map<String, String> wire(Translation t) {
    return t.create().request().getSysQueryParameters();
  }

  private static Map<String, String> tags(Map<String, String> q) {
    Map<String, String> tags = new HashMap<>();
    for (int i = 1; q.containsKey("Tag." + i + ".Key"); i++) {
      tags.put(q.get("Tag." + i + ".Key"), q.get("Tag." + i + ".Value"));
    }
    return tags;
  }

  static Map<String, String> env(Map<String, String> q) {
    Map<String, String> env = new HashMap<>();
    for (int i = 1; q.containsKey("Container.1.EnvironmentVar." + i + ".Key"); i++) {
      String p = "Container.1.EnvironmentVar." + i;
      String value =
          q.containsKey(p + ".FieldRef.FieldPath")
              ? "fieldRef:" + q.get(p + ".FieldRef.FieldPath")
              : q.get(p + ".Value");
      env.put(q.get(p + ".Key"), value);
    }
    return env;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
