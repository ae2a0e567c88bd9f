package io.eci.vnode.sandbox.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where one control plane's files live: {@code pki/} (its certificates, keys and kubeconfigs),
 * {@code etcd/} (its data), {@code logs/} and {@code run/} (the daemons' pid files). A named
 * directory is emptied on start and kept after close, for reading the logs; a temporary one is
 * deleted on close.
 */
final class WorkDir {

  private final Path root;
  private final boolean temporary;

  private WorkDir(Path root, boolean temporary) {
    this.root = root;
    this.temporary = temporary;
  }

  /** {@code configured}, or a new temporary directory when null. */
  static WorkDir of(Path configured) {
    try {
      Path root =
          (configured != null ? configured : Files.createTempDirectory("eci-vnode-control-plane"))
              .toAbsolutePath()
              .normalize();
      Files.createDirectories(root);
      return new WorkDir(root, configured == null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path root() {
    return root;
  }

  Path pki() {
    return root.resolve("pki");
  }

  Path etcd() {
    return root.resolve("etcd");
  }

  Path logs() {
    return root.resolve("logs");
  }

  /** Stops what a killed run left running here and deletes its data, logs and certificates. */
  void clearForStart() {
    Daemon.stopLeftovers(root);
    deleteRecursively(etcd());
    deleteRecursively(logs());
    deleteRecursively(pki());
  }

  /** Writes {@code content} to {@code pki/<name>}; returns the file. */
  Path writePki(String name, String content) {
    try {
      Files.createDirectories(pki());
      return Files.writeString(pki().resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes the directory when it is a temporary one; a named one is kept for its logs. */
  void deleteIfTemporary() {
    if (temporary) {
      deleteRecursively(root);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
