package io.eci.vnode.sandbox.eci;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One container of a group as it was requested.
 *
 * @param exit when a word of the container's command or args (split at blanks and {@code ;}) is
 *     {@code exit:<code>} or {@code exit:<code>:<seconds>}, it exits with that code after running
 *     that many seconds; null means it runs until deleted
 */
record ContainerSpec(
    String name,
    String image,
    List<String> commands,
    List<String> args,
    Float cpu,
    Float memory,
    String workingDir,
    String imagePullPolicy,
    List<Port> ports,
    List<Env> env,
    List<Mount> mounts,
    Exit exit) {

  private static final Pattern EXIT = Pattern.compile("exit:(-?[0-9]{1,3})(?::([0-9]{1,6}))?");

  record Port(int port, String protocol) {}

  record Env(String key, String value, String fieldPath) {}

  record Mount(String name, String mountPath, boolean readOnly) {}

  /** The simulated end of a container: exit code and seconds of running before it. */
  record Exit(int code, long afterSeconds) {}

  /** Reads {@code prefix.N.*} containers (prefix {@code Container} or {@code InitContainer}). */
  static List<ContainerSpec> parseAll(RpcRequest request, String prefix) {
    List<ContainerSpec> containers = new ArrayList<>();
    for (int i = 1; hasAny(request, prefix + "." + i + "."); i++) {
      containers.add(parse(request, prefix + "." + i));
    }
    return containers;
  }

  private static boolean hasAny(RpcRequest request, String prefix) {
    return request.params().keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  private static ContainerSpec parse(RpcRequest r, String p) {
    List<String> commands = r.list(p + ".Command");
    List<String> args = r.list(p + ".Arg");
    return new ContainerSpec(
        r.required(p + ".Name"),
        r.required(p + ".Image"),
        commands,
        args,
        r.decimal(p + ".Cpu"),
        r.decimal(p + ".Memory"),
        r.optional(p + ".WorkingDir").orElse(null),
        r.optional(p + ".ImagePullPolicy").orElse(null),
        ports(r, p),
        env(r, p),
        mounts(r, p),
        exit(commands, args));
  }

  private static List<Port> ports(RpcRequest r, String p) {
    List<Port> ports = new ArrayList<>();
    for (int i = 1; r.params().containsKey(p + ".Port." + i + ".Port"); i++) {
      ports.add(
          new Port(
              r.integer(p + ".Port." + i + ".Port", 0, 1, 65535),
              r.optional(p + ".Port." + i + ".Protocol").orElse("TCP")));
    }
    return ports;
  }

  private static List<Env> env(RpcRequest r, String p) {
    List<Env> env = new ArrayList<>();
    for (int i = 1; r.params().containsKey(p + ".EnvironmentVar." + i + ".Key"); i++) {
      String e = p + ".EnvironmentVar." + i;
      env.add(
          new Env(
              r.params().get(e + ".Key"),
              r.params().get(e + ".Value"),
              r.params().get(e + ".FieldRef.FieldPath")));
    }
    return env;
  }

  private static List<Mount> mounts(RpcRequest r, String p) {
    List<Mount> mounts = new ArrayList<>();
    for (int i = 1; r.params().containsKey(p + ".VolumeMount." + i + ".Name"); i++) {
      String m = p + ".VolumeMount." + i;
      mounts.add(
          new Mount(
              r.params().get(m + ".Name"),
              r.required(m + ".MountPath"),
              r.bool(m + ".ReadOnly", false)));
    }
    return mounts;
  }

  private static Exit exit(List<String> commands, List<String> args) {
    // a word of an element, so a shell script says it too: sh -c "echo done; exit:0:5"
    for (String element : concat(commands, args)) {
      for (String word : element.split("[\\s;]+")) {
        Matcher m = EXIT.matcher(word);
        if (m.matches()) {
          return new Exit(
              Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
        }
      }
    }
    return null;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
