package io.eci.vnode.engine.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.profile.DefaultProfile;
import io.eci.vnode.engine.eci.EciSdkInstances;
import io.eci.vnode.engine.eci.EciStatus;
import io.eci.vnode.engine.eci.Instance;
import io.eci.vnode.engine.eci.InstanceTags;
import io.eci.vnode.engine.translate.Pods.FakeReferences;
import io.eci.vnode.sandbox.eci.EciSandbox;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A pod using every translated field, sent through the real SDK to the sandbox, which refuses any
 * parameter ECI would not take: the translation speaks ECI's language, not just the SDK's.
 */
class TranslatedPodRunsOnEciIT {

  @Test
  void aFullyFeaturedPodIsAcceptedAndRuns() {
    try (EciSandbox eci =
        EciSandbox.builder()
            .accessKey("LTAIx", "secret")
            .vSwitch("vsw-a", "cn-hangzhou-a", "10.1.0.0/16")
            .vSwitch("vsw-b", "cn-hangzhou-b", "10.2.0.0/16")
            .instantProvisioning()
            .start()) {
      var instances =
          new EciSdkInstances(
              new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou", "LTAIx", "secret")),
              "cn-hangzhou",
              Optional.of(eci.endpoint()));
      String config = "{\"auths\":{\"registry.example\":{\"username\":\"u\",\"password\":\"p\"}}}";
      FakeReferences references =
          new FakeReferences()
              .with(
                  new ConfigMapBuilder()
                      .withNewMetadata()
                      .withNamespace("shop")
                      .withName("site")
                      .endMetadata()
                      .addToData("index.html", "hi")
                      .build())
              .with(
                  new SecretBuilder()
                      .withNewMetadata()
                      .withNamespace("shop")
                      .withName("pull")
                      .endMetadata()
                      .addToData(".dockerconfigjson", b64(config))
                      .build());
      Pod pod =
          Pods.nginx()
              .editMetadata()
              .addToAnnotations("k8s.aliyun.com/eci-spot-strategy", "SpotAsPriceGo")
              .endMetadata()
              .editSpec()
              .withTerminationGracePeriodSeconds(20L)
              .addNewImagePullSecret("pull")
              .addNewHostAlias()
              .withIp("10.0.0.9")
              .withHostnames("db.local")
              .endHostAlias()
              .addNewVolume()
              .withName("site")
              .withNewConfigMap()
              .withName("site")
              .endConfigMap()
              .endVolume()
              .addNewVolume()
              .withName("scratch")
              .withNewEmptyDir()
              .endEmptyDir()
              .endVolume()
              .addNewInitContainer()
              .withName("init")
              .withImage("busybox")
              .withCommand("sh", "-c", "true")
              .endInitContainer()
              .editFirstContainer()
              .addNewPort()
              .withName("http")
              .withContainerPort(80)
              .endPort()
              .addNewEnv()
              .withName("IP")
              .withNewValueFrom()
              .withNewFieldRef()
              .withFieldPath("status.podIP")
              .endFieldRef()
              .endValueFrom()
              .endEnv()
              .withNewResources()
              .addToLimits("cpu", new Quantity("1"))
              .addToLimits("memory", new Quantity("2Gi"))
              .endResources()
              .withNewLivenessProbe()
              .withNewHttpGet()
              .withPath("/")
              .withPort(new IntOrString("http"))
              .endHttpGet()
              .endLivenessProbe()
              .withNewReadinessProbe()
              .withNewTcpSocket()
              .withPort(new IntOrString(80))
              .endTcpSocket()
              .endReadinessProbe()
              .withNewLifecycle()
              .withNewPreStop()
              .withNewExec()
              .withCommand("nginx", "-s", "quit")
              .endExec()
              .endPreStop()
              .endLifecycle()
              .withNewSecurityContext()
              .withRunAsUser(101L)
              .endSecurityContext()
              .addNewVolumeMount()
              .withName("site")
              .withMountPath("/usr/share/nginx/html")
              .endVolumeMount()
              .endContainer()
              .endSpec()
              .build();

      Translation translation = PodTranslator.translate(pod, references, Pods.CONTEXT);
      String id = instances.create(translation.create());

      List<Instance> mine = instances.describeByTag(InstanceTags.CLUSTER, "cluster-1");
      assertThat(mine)
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.id()).isEqualTo(id);
                assertThat(i.status()).contains(EciStatus.RUNNING);
                assertThat(i.tags())
                    .containsEntry(InstanceTags.POD_UID, pod.getMetadata().getUid());
                assertThat(i.zoneId()).isEqualTo("cn-hangzhou-a");
              });
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
