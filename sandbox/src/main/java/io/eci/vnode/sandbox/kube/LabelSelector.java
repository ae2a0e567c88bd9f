package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code labelSelector}: equality ({@code a=b}, {@code a==b}, {@code a!=b}), set ({@code a
 * in (x,y)}, {@code a notin (x)}) and existence ({@code a}, {@code !a}) requirements, all of which
 * must hold.
 */
record LabelSelector(List<LabelSelector.Requirement> requirements) {

  private static final Pattern SET =
      Pattern.compile("^\\s*([^\\s!=()]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*$");
  private static final Pattern EQUALITY =
      Pattern.compile("^\\s*([^\\s!=]+)\\s*(==|=|!=)\\s*(\\S*)\\s*$");
  private static final Pattern EXISTS = Pattern.compile("^\\s*(!?)\\s*([^\\s!=()]+)\\s*$");

  enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST
  }

  record Requirement(String key, Operator operator, Set<String> values) {
    boolean matches(JsonNode labels) {
      JsonNode value = labels.get(key);
      boolean present = value != null && !value.isNull();
      String text = present ? value.asText() : null;
      return switch (operator) {
        case EQUALS, IN -> present && values.contains(text);
        case NOT_EQUALS, NOT_IN -> !present || !values.contains(text);
        case EXISTS -> present;
        case DOES_NOT_EXIST -> !present;
      };
    }
  }

  static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  static LabelSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String term : splitTopLevel(selector)) {
      requirements.add(requirement(term));
    }
    return new LabelSelector(List.copyOf(requirements));
  }

  boolean matches(JsonNode object) {
    JsonNode labels = Json.at(object, "metadata", "labels");
    return requirements.stream().allMatch(r -> r.matches(labels));
  }

  private static Requirement requirement(String term) {
    Matcher set = SET.matcher(term);
    if (set.matches()) {
      Set<String> values = new LinkedHashSet<>();
      for (String value : set.group(3).split(",")) {
        if (!value.isBlank()) {
          values.add(value.trim());
        }
      }
      Operator operator = set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN;
      return new Requirement(set.group(1), operator, values);
    }
    Matcher equality = EQUALITY.matcher(term);
    if (equality.matches()) {
      Operator operator = equality.group(2).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
      return new Requirement(equality.group(1), operator, Set.of(equality.group(3)));
    }
    Matcher exists = EXISTS.matcher(term);
    if (exists.matches()) {
      Operator operator = exists.group(1).isEmpty() ? Operator.EXISTS : Operator.DOES_NOT_EXIST;
      return new Requirement(exists.group(2), operator, Set.of());
    }
    throw ApiException.badRequest("unable to parse requirement: " + term.trim());
  }

  /** Splits on commas outside parentheses: {@code a in (x,y),b} is two requirements. */
  private static List<String> splitTopLevel(String selector) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        terms.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    terms.add(current.toString());
    return terms.stream().filter(t -> !t.isBlank()).toList();
  }
}
