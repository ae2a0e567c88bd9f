package io.eci.vnode.sandbox.eci;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's instances in a JSON file, so that a restarted sandbox keeps them. Written when the
 * sandbox closes (also on Ctrl-C), read when it starts; a killed process loses what changed since
 * its start.
 */
final class Snapshot {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One instance as stored; times as ISO-8601 strings. */
  record Entry(
      long sequence,
      String id,
      String name,
      String regionId,
      String zoneId,
      String vSwitchId,
      String securityGroupId,
      String restartPolicy,
      String intranetIp,
      float cpu,
      float memory,
      Map<String, String> tags,
      String createdAt,
      String clientToken,
      String scheduleFailure,
      List<ContainerSpec> containers,
      List<ContainerSpec> initContainers,
      String lastStartRequest,
      int restartRequests,
      String lastUpdate,
      String deletedAt) {

    static Entry of(ContainerGroup g) {
      return new Entry(
          g.sequence,
          g.id,
          g.name,
          g.regionId,
          g.zoneId,
          g.vSwitchId,
          g.securityGroupId,
          g.restartPolicy,
          g.intranetIp,
          g.cpu,
          g.memory,
          g.tags,
          g.createdAt.toString(),
          g.clientToken,
          g.scheduleFailure,
          g.containers(),
          g.initContainers(),
          text(g.lastStartRequest()),
          g.restartRequests(),
          text(g.lastUpdate()),
          text(g.deletedAt()));
    }

    ContainerGroup toGroup() {
      ContainerGroup g =
          new ContainerGroup(
              sequence,
              id,
              name,
              regionId,
              zoneId,
              vSwitchId,
              securityGroupId,
              restartPolicy,
              intranetIp,
              cpu,
              memory,
              tags,
              Instant.parse(createdAt),
              clientToken,
              scheduleFailure,
              containers,
              initContainers);
      g.restore(
          instant(lastStartRequest), restartRequests, instant(lastUpdate), instant(deletedAt));
      return g;
    }

    private static String text(Instant at) {
      return at == null ? null : at.toString();
    }

    private static Instant instant(String text) {
      return text == null ? null : Instant.parse(text);
    }
  }

  private final Path file;

  Snapshot(Path file) {
    this.file = file;
  }

  /** The stored instances; none when the file does not exist yet. */
  List<ContainerGroup> load() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<Entry> entries = JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() {});
      return entries.stream().map(Entry::toGroup).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("the sandbox state file " + file + " cannot be read", e);
    }
  }

  /** Replaces the file with these instances, atomically. */
  void save(Iterable<ContainerGroup> groups) {
    List<Entry> entries = new ArrayList<>();
    groups.forEach(g -> entries.add(Entry.of(g)));
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, ".eci-sandbox", ".json");
      JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), entries);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("the sandbox state file " + file + " cannot be written", e);
    }
  }
}
