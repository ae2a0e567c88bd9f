package io.eci.vnode.sandbox.testing;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/**
 * Pods and bindings as the product's users create them, for the tests of every module (shipped in
 * the sandbox's test-jar, so there is one way to build a test pod).
 */
public final class TestPods {

  /** The label that steers a pod to the virtual node. */
  public static final String ECI_LABEL = "alibabacloud.com/eci";

  private TestPods() {}

  /** A pod labelled for ECI, not yet scheduled, in no namespace (the client's default). */
  public static Pod labelled(String name) {
    return labelledBuilder(name).build();
  }

  /** A pod labelled for ECI, not yet scheduled, in {@code namespace}. */
  public static Pod labelled(String namespace, String name) {
    return labelledBuilder(name).editMetadata().withNamespace(namespace).endMetadata().build();
  }

  /** A labelled pod with one nginx container, to be changed further by the test. */
  public static PodBuilder labelledBuilder(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(ECI_LABEL, "true")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("nginx:1.27")
        .endContainer()
        .endSpec();
  }

  /** The binding a scheduler posts to put {@code pod} on {@code node}. */
  public static Binding binding(String pod, String node) {
    return new BindingBuilder()
        .withNewMetadata()
        .withName(pod)
        .endMetadata()
        .withNewTarget()
        .withKind("Node")
        .withApiVersion("v1")
        .withName(node)
        .endTarget()
        .build();
  }
}
