package io.eci.vnode.sandbox.eci;

import io.eci.vnode.sandbox.eci.Lifecycle.ContainerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The actions on one container of an instance: DescribeContainerLog (the lines the sandbox itself
 * writes: started, exited) and ExecContainerCommand ({@code echo} answers its arguments, anything
 * else nothing).
 */
final class ContainerActions {

  private final LiveGroups live;

  ContainerActions(LiveGroups live) {
    this.live = live;
  }

  Map<String, Object> log(RpcRequest r) {
    ContainerGroup g = live.get(r.required("ContainerGroupId"));
    String name = r.required("ContainerName");
    ContainerState state = live.container(g, name);
    int tail = r.integer("Tail", 500, 1, 10_000);
    List<String> lines = new ArrayList<>();
    if (state.startTime() != null || state.previous() != null) {
      lines.add(
          "[sandbox] "
              + name
              + " ("
              + state.spec().image()
              + ") started, restarts: "
              + state.restartCount());
    }
    if (state.exitCode() != null) {
      lines.add("[sandbox] " + name + " exited with code " + state.exitCode());
    }
    List<String> tailed = lines.subList(Math.max(0, lines.size() - tail), lines.size());
    return Map.of(
        "ContainerName", name, "Content", tailed.isEmpty() ? "" : String.join("\n", tailed) + "\n");
  }

  Map<String, Object> exec(RpcRequest r) {
    ContainerGroup g = live.get(r.required("ContainerGroupId"));
    String name = r.required("ContainerName");
    List<String> command = r.stringArray("Command");
    if (command.isEmpty()) {
      throw RpcError.invalidParameter("Command", "must name a program");
    }
    if (!live.container(g, name).state().equals("Running")) {
      throw RpcError.incorrectStatus(g.id, "not running container " + name);
    }
    String output =
        command.get(0).equals("echo")
            ? String.join(" ", command.subList(1, command.size())) + "\n"
            : "";
    return Map.of(
        "WebSocketUri", "ws://127.0.0.1/sandbox-exec/" + g.id + "/" + name,
        "HttpUrl", "http://127.0.0.1/sandbox-exec/" + g.id + "/" + name,
        "SyncResponse", output);
  }
}
