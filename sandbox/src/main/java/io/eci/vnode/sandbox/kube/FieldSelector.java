package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A parsed {@code fieldSelector}: comma-separated {@code field=value}, {@code field==value} and
 * {@code field!=value} terms, all of which must hold. Like a real API server, only {@code
 * metadata.name}, {@code metadata.namespace} and the labels each type declares are accepted; any
 * other field is a 400, so code that relies on an unsupported selector fails here as it would in a
 * real cluster. A missing field compares as "".
 */
record FieldSelector(List<FieldSelector.Term> terms) {

  private static final Set<String> BOOLEAN_FIELDS =
      Set.of("spec.hostNetwork", "spec.unschedulable");
  private static final Set<String> COUNT_FIELDS = Set.of("status.replicas", "status.successful");

  record Term(String field, boolean equals, String value) {}

  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  static FieldSelector parse(String selector, ResourceType type) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Term> terms = new ArrayList<>();
    for (String raw : splitUnescaped(selector, ',')) {
      if (raw.isBlank()) {
        continue;
      }
      terms.add(term(raw.trim(), type));
    }
    return new FieldSelector(List.copyOf(terms));
  }

  boolean matches(JsonNode object) {
    return terms.stream().allMatch(t -> t.equals() == value(object, t.field()).equals(t.value()));
  }

  private static Term term(String raw, ResourceType type) {
    int at;
    int width;
    boolean equals;
    if ((at = indexUnescaped(raw, "!=")) >= 0) {
      width = 2;
      equals = false;
    } else if ((at = indexUnescaped(raw, "==")) >= 0) {
      width = 2;
      equals = true;
    } else if ((at = indexUnescaped(raw, "=")) >= 0) {
      width = 1;
      equals = true;
    } else {
      throw ApiException.badRequest(
          "invalid selector: '" + raw + "'; can't understand '" + raw + "'");
    }
    String field = raw.substring(0, at).trim();
    String value = unescape(raw.substring(at + width).trim());
    if (!field.equals("metadata.name")
        && !field.equals("metadata.namespace")
        && !type.fieldLabels().contains(field)) {
      throw ApiException.badRequest(
          "field label not supported: " + field + " (for " + type.qualifiedPlural() + ")");
    }
    return new Term(field, equals, value);
  }

  private static String value(JsonNode object, String field) {
    if (field.equals("source")) {
      return Json.text(object, "source", "component");
    }
    String text = Json.text(object, field.split("\\."));
    if (text.isEmpty() && BOOLEAN_FIELDS.contains(field)) {
      return "false";
    }
    if (text.isEmpty() && COUNT_FIELDS.contains(field)) {
      return "0";
    }
    return text;
  }

  private static List<String> splitUnescaped(String selector, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '\\' && i + 1 < selector.length()) {
        current.append(c).append(selector.charAt(++i));
      } else if (c == separator) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  private static int indexUnescaped(String raw, String operator) {
    for (int i = 0; i + operator.length() <= raw.length(); i++) {
      if (raw.charAt(i) == '\\') {
        i++;
      } else if (raw.startsWith(operator, i)) {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String value) {
    return value.replaceAll("\\\\(.)", "$1");
  }
}
