package io.eci.vnode.engine.translate;

import static io.eci.vnode.engine.translate.Pods.CONTEXT;
import static org.assertj.core.api.Assertions.assertThat;

import io.eci.vnode.engine.translate.Pods.FakeReferences;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code $(VAR)} references in a container's env, command and args. */
class VariableReferencesTest {

  private final FakeReferences references =
      new FakeReferences()
          .with(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withNamespace("shop")
                  .withName("db")
                  .endMetadata()
                  .withNewSpec()
                  .withClusterIP("10.96.3.4")
                  .addNewPort()
                  .withPort(5432)
                  .endPort()
                  .endSpec()
                  .build());

  @Test
  void envValuesSeeEarlierVariablesAndServicesAndCommandsSeeThemAll() {
    Pod pod =
        Pods.nginx()
            .editSpec()
            .editFirstContainer()
            .withCommand("/app", "--db=$(DB_URL)")
            .withArgs("--name=$(POD_NAME)", "--literal=$$(POD_NAME)", "--later=$(LATER)")
            .addNewEnv()
            .withName("POD_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("DB_URL")
            .withValue("postgres://$(DB_SERVICE_HOST):$(DB_SERVICE_PORT)/$(POD_NAME)?x=$(LATER)")
            .endEnv()
            .addNewEnv()
            .withName("LATER")
            .withValue("late")
            .endEnv()
            .endContainer()
            .endSpec()
            .build();

    Translation t = PodTranslator.translate(pod, references, CONTEXT);
    Map<String, String> q = PodTranslatorTest.wire(t);

    assertThat(PodTranslatorTest.env(q))
        .containsEntry("DB_URL", "postgres://10.96.3.4:5432/web?x=$(LATER)")
        .containsEntry("LATER", "late");
    assertThat(q)
        .containsEntry("Container.1.Command.1", "/app")
        .containsEntry("Container.1.Command.2", "--db=postgres://10.96.3.4:5432/web?x=$(LATER)")
        .containsEntry("Container.1.Arg.1", "--name=web")
        .containsEntry("Container.1.Arg.2", "--literal=$(POD_NAME)")
        .containsEntry("Container.1.Arg.3", "--later=late");
    assertThat(t.warnings()).isEmpty();
  }

  @Test
  void aReferenceToThePodsAddressStaysAsWrittenAndSaysWhy() {
    Pod pod =
        Pods.nginx()
            .editSpec()
            .editFirstContainer()
            .withArgs("--advertise=$(POD_IP)")
            .addNewEnv()
            .withName("POD_IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.podIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .endContainer()
            .endSpec()
            .build();

    Translation t = PodTranslator.translate(pod, references, CONTEXT);

    assertThat(PodTranslatorTest.wire(t))
        .containsEntry("Container.1.Arg.1", "--advertise=$(POD_IP)");
    assertThat(t.warnings())
        .singleElement()
        .asString()
        .contains("$(POD_IP)", "known only inside the instance");
  }
}
