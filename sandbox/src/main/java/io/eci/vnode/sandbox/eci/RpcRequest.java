package io.eci.vnode.sandbox.eci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One decoded RPC call: the HTTP method and every query and form-body parameter. The signature is
 * computed over the decoded values, so the raw query is never kept.
 *
 * @param method GET or POST
 * @param params decoded parameters, {@code Signature} included
 */
public record RpcRequest(String method, Map<String, String> params) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Decodes a raw query string and an optional form body (either may be empty). */
  static RpcRequest parse(String method, String rawQuery, String formBody) {
    Map<String, String> params = new HashMap<>();
    for (String source :
        List.of(rawQuery == null ? "" : rawQuery, formBody == null ? "" : formBody)) {
      for (String pair : source.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        params.put(decode(key), decode(value));
      }
    }
    return new RpcRequest(method, params);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw RpcError.invalidParameter(s, "is not correctly percent-encoded");
    }
  }

  /** The action to dispatch on. */
  String action() {
    return required("Action");
  }

  /** A parameter that must be present and non-empty. */
  String required(String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      throw RpcError.missingParameter(name);
    }
    return value;
  }

  /** A parameter that may be absent. */
  Optional<String> optional(String name) {
    return Optional.ofNullable(params.get(name)).filter(v -> !v.isEmpty());
  }

  /** An integer parameter within bounds, or the default when absent. */
  int integer(String name, int defaultValue, int min, int max) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw RpcError.invalidParameter(name, "must be an integer");
    }
    if (value < min || value > max) {
      throw RpcError.invalidParameter(name, "must be between " + min + " and " + max);
    }
    return value;
  }

  /** A float parameter (the SDK sends floats as "2.0"), or null when absent. */
  Float decimal(String name) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return null;
    }
    try {
      return Float.parseFloat(raw.get());
    } catch (NumberFormatException e) {
      throw RpcError.invalidParameter(name, "must be a number");
    }
  }

  /** A boolean parameter ("true"/"false"), or the default when absent. */
  boolean bool(String name, boolean defaultValue) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw RpcError.invalidParameter(name, "must be true or false");
    };
  }

  /** A parameter that must hold a JSON array of strings, e.g. {@code ["eci-1","eci-2"]}. */
  List<String> stringArray(String name) {
    return parseStringArray(name, required(name));
  }

  /** A JSON array of strings that may be absent. */
  Optional<List<String>> optionalStringArray(String name) {
    return optional(name).map(value -> parseStringArray(name, value));
  }

  private static List<String> parseStringArray(String name, String value) {
    try {
      List<String> list = JSON.readValue(value, new TypeReference<List<String>>() {});
      if (list == null || list.stream().anyMatch(Objects::isNull)) {
        throw RpcError.invalidParameter(name, "must be a JSON array of strings");
      }
      return list;
    } catch (JsonProcessingException e) {
      throw RpcError.invalidParameter(
          name, "must be a JSON array of strings, e.g. [\"eci-1\",\"eci-2\"]");
    }
  }

  /** The values of {@code prefix.1}, {@code prefix.2}, ... in order, stopping at the first gap. */
  List<String> list(String prefix) {
    List<String> values = new ArrayList<>();
    for (int i = 1; params.containsKey(prefix + "." + i); i++) {
      values.add(params.get(prefix + "." + i));
    }
    return values;
  }

  /** The {@code Tag.N.Key}/{@code Tag.N.Value} pairs, in order. */
  Map<String, String> tags() {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 1; params.containsKey("Tag." + i + ".Key"); i++) {
      tags.put(params.get("Tag." + i + ".Key"), params.getOrDefault("Tag." + i + ".Value", ""));
    }
    return tags;
  }
}
