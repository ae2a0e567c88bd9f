package io.eci.vnode.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The YAML a user would write for the workloads the tests run, written to files for kubectl. */
final class Manifests {

  private final Path dir;

  Manifests(Path dir) {
    this.dir = dir;
  }

  /** A Deployment whose pod template carries the ECI label. */
  Path deployment(String namespace, String name, int replicas) {
    return write(
        name + "-deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
          namespace: %2$s
        spec:
          replicas: %3$d
          selector:
            matchLabels: {app: %1$s}
          template:
            metadata:
              labels: {app: %1$s, alibabacloud.com/eci: "true"}
            spec:
              containers:
              - name: nginx
                image: nginx
        """
            .formatted(name, namespace, replicas));
  }

  /**
   * A Job whose one container runs {@code seconds} and exits with {@code exitCode} (the ECI
   * sandbox's {@code exit:<code>:<seconds>} convention), retried {@code backoffLimit} times.
   */
  Path job(String namespace, String name, int exitCode, int seconds, int backoffLimit) {
    return write(
        name + "-job.yaml",
        """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: %1$s
          namespace: %2$s
        spec:
          backoffLimit: %5$d
          template:
            metadata:
              labels: {alibabacloud.com/eci: "true"}
            spec:
              restartPolicy: Never
              containers:
              - name: work
                image: busybox
                command: [sh, -c, "echo working; exit:%3$d:%4$d"]
        """
            .formatted(name, namespace, exitCode, seconds, backoffLimit));
  }

  /** A StatefulSet of one labelled pod, with its headless Service. */
  Path statefulSet(String namespace, String name) {
    return write(
        name + "-statefulset.yaml",
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: %1$s
          namespace: %2$s
        spec:
          clusterIP: None
          selector: {app: %1$s}
          ports:
          - port: 80
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: %1$s
          namespace: %2$s
        spec:
          serviceName: %1$s
          replicas: 1
          selector:
            matchLabels: {app: %1$s}
          template:
            metadata:
              labels: {app: %1$s, alibabacloud.com/eci: "true"}
            spec:
              containers:
              - name: db
                image: nginx
        """
            .formatted(name, namespace));
  }

  private Path write(String file, String yaml) {
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve(file), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
