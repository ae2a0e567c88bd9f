package io.eci.vnode.sandbox.eci;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which parameters each action takes, from {@code parameters.txt}: an unknown parameter is refused
 * by name, as the real API does, so a client bug that sends a misspelt field fails here instead of
 * being ignored.
 */
final class ParameterRules {

  /** Parameters every RPC request may carry. */
  private static final Set<String> COMMON =
      Set.of(
          "Action",
          "Version",
          "Format",
          "AccessKeyId",
          "SignatureMethod",
          "SignatureVersion",
          "SignatureNonce",
          "SignatureType",
          "Timestamp",
          "RegionId",
          "Signature",
          "SecurityToken",
          "OwnerId",
          "OwnerAccount",
          "ResourceOwnerId",
          "ResourceOwnerAccount");

  private static final Pattern INDEX = Pattern.compile("(?<=^|\\.)[0-9]+(?=\\.|$)");
  private static final Pattern ZERO_INDEX = Pattern.compile("(^|\\.)0+(\\.|$)");

  /** One action's parameters, names with N for each 1-based index. */
  record Action(String name, String version, Set<String> accepted, List<String> required) {}

  private final Map<String, Action> actions;

  private ParameterRules(Map<String, Action> actions) {
    this.actions = actions;
  }

  /** The rules shipped with the sandbox. */
  static ParameterRules load() {
    Map<String, Action> actions = new HashMap<>();
    try (var in = ParameterRules.class.getResourceAsStream("parameters.txt");
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String name = null;
      String version = null;
      Set<String> accepted = new HashSet<>();
      List<String> required = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("== ")) {
          if (name != null) {
            actions.put(
                name, new Action(name, version, Set.copyOf(accepted), List.copyOf(required)));
          }
          String[] header = line.substring(3).split(" ");
          name = header[0];
          version = header[1];
          accepted = new HashSet<>();
          required = new ArrayList<>();
        } else if (line.endsWith("*")) {
          String param = line.substring(0, line.length() - 1);
          accepted.add(param);
          required.add(param);
        } else {
          accepted.add(line);
        }
      }
      actions.put(name, new Action(name, version, Set.copyOf(accepted), List.copyOf(required)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ParameterRules(actions);
  }

  /**
   * Checks a request's action, version and parameters; throws the API's error for the first fault.
   */
  Action check(RpcRequest request) {
    String name = request.action();
    Action action = actions.get(name);
    String version = request.params().get("Version");
    if (action == null || !action.version().equals(version)) {
      throw RpcError.actionNotFound(name);
    }
    for (String param : request.params().keySet()) {
      if (COMMON.contains(param)) {
        continue;
      }
      if (ZERO_INDEX.matcher(param).find()) {
        throw RpcError.invalidParameter(param, "indexes start at 1");
      }
      if (!action.accepted().contains(INDEX.matcher(param).replaceAll("N"))) {
        throw RpcError.invalidParameter(param, "is not a parameter of " + name);
      }
    }
    for (String param : action.required()) {
      request.required(param);
    }
    return action;
  }

  /** Every action the sandbox answers. */
  Set<String> actionNames() {
    return actions.keySet();
  }
}
