package io.eci.vnode.sandbox.kube;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Pods and bindings as the product creates them. */
final class TestPods {

  private TestPods() {}

  static Pod pod(String namespace, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .addToLabels("alibabacloud.com/eci", "true")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("nginx:1.25")
        .endContainer()
        .endSpec()
        .build();
  }

  static Binding binding(String pod, String node) {
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
