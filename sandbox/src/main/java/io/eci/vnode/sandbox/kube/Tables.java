package io.eci.vnode.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Server-side printing: the {@code meta.k8s.io/v1 Table} a real API server returns when kubectl
 * asks for {@code as=Table}. Pods, nodes and namespaces get kubectl's own columns (priority-1
 * columns are the {@code -o wide} ones); every other type gets NAME and AGE.
 */
final class Tables {

  record Column(String name, String type, String format, int priority, String description) {}

  private static final Column NAME =
      new Column("Name", "string", "name", 0, "Name must be unique within a namespace.");
  private static final Column AGE =
      new Column(
          "Age",
          "string",
          "",
          0,
          "CreationTimestamp is a timestamp representing the server time when this object was created.");
  private static final List<Column> POD_COLUMNS =
      List.of(
          NAME,
          new Column(
              "Ready",
              "string",
              "",
              0,
              "The aggregate readiness state of this pod for accepting traffic."),
          new Column(
              "Status", "string", "", 0, "The aggregate status of the containers in this pod."),
          new Column(
              "Restarts",
              "string",
              "",
              0,
              "The number of times the containers in this pod have been restarted and when the last container"
                  + " in this pod has restarted."),
          AGE,
          new Column("IP", "string", "", 1, "IP address allocated to the pod."),
          new Column("Node", "string", "", 1, "NodeName is the node the pod is scheduled onto."),
          new Column(
              "Nominated Node",
              "string",
              "",
              1,
              "nominatedNodeName is set when this pod preempts other pods."),
          new Column(
              "Readiness Gates",
              "string",
              "",
              1,
              "If specified, all readiness gates will be evaluated."));
  private static final List<Column> NODE_COLUMNS =
      List.of(
          NAME,
          new Column("Status", "string", "", 0, "The status of the node"),
          new Column("Roles", "string", "", 0, "The roles of the node"),
          AGE,
          new Column("Version", "string", "", 0, "Kubelet Version reported by the node."),
          new Column("Internal-IP", "string", "", 1, "List of addresses reachable to the node."),
          new Column("External-IP", "string", "", 1, "List of addresses reachable to the node."),
          new Column(
              "OS-Image", "string", "", 1, "OS Image reported by the node from /etc/os-release."),
          new Column("Kernel-Version", "string", "", 1, "Kernel Version reported by the node."),
          new Column(
              "Container-Runtime",
              "string",
              "",
              1,
              "Container runtime version reported by the node."));
  private static final List<Column> NAMESPACE_COLUMNS =
      List.of(NAME, new Column("Status", "string", "", 0, "The status of the namespace"), AGE);
  private static final List<Column> DEFAULT_COLUMNS = List.of(NAME, AGE);

  private Tables() {}

  /**
   * A Table of {@code objects}.
   *
   * @param includeObject {@code None}, {@code Metadata} (the default) or {@code Object}: what each
   *     row carries
   * @param withColumns false for watch events after the first, which omit the column definitions as
   *     the real server does
   */
  static ObjectNode table(
      ResourceType type,
      List<ObjectNode> objects,
      String resourceVersion,
      String includeObject,
      boolean withColumns,
      Instant now) {
    ObjectNode table = Json.object();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null) {
      metadata.put("resourceVersion", resourceVersion);
    }
    ArrayNode columns = table.putArray("columnDefinitions");
    if (withColumns) {
      for (Column column : columnsOf(type)) {
        ObjectNode definition = columns.addObject();
        definition.put("name", column.name());
        definition.put("type", column.type());
        definition.put("format", column.format());
        definition.put("description", column.description());
        definition.put("priority", column.priority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode object : objects) {
      ObjectNode row = rows.addObject();
      row.set("cells", cellsOf(type).apply(object, now));
      if (!"None".equals(includeObject)) {
        row.set("object", "Object".equals(includeObject) ? object : partialMetadata(object));
      }
    }
    return table;
  }

  /** The {@code PartialObjectMetadata} form of an object: its metadata only. */
  static ObjectNode partialMetadata(ObjectNode object) {
    ObjectNode partial = Json.object();
    partial.put("kind", "PartialObjectMetadata");
    partial.put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", object.path("metadata").deepCopy());
    return partial;
  }

  private static List<Column> columnsOf(ResourceType type) {
    if (type.equals(ResourceTypes.PODS)) {
      return POD_COLUMNS;
    } else if (type.equals(ResourceTypes.NODES)) {
      return NODE_COLUMNS;
    } else if (type.equals(ResourceTypes.NAMESPACES)) {
      return NAMESPACE_COLUMNS;
    }
    return DEFAULT_COLUMNS;
  }

  private static BiFunction<ObjectNode, Instant, ArrayNode> cellsOf(ResourceType type) {
    if (type.equals(ResourceTypes.PODS)) {
      return Tables::podCells;
    } else if (type.equals(ResourceTypes.NODES)) {
      return Tables::nodeCells;
    } else if (type.equals(ResourceTypes.NAMESPACES)) {
      return (ns, now) -> cells(name(ns), orNone(Json.text(ns, "status", "phase")), age(ns, now));
    }
    return (object, now) -> cells(name(object), age(object, now));
  }

  private static ArrayNode podCells(ObjectNode pod, Instant now) {
    int gates = pod.path("spec").path("readinessGates").size();
    return cells(
        name(pod),
        PodColumns.ready(pod),
        PodColumns.status(pod),
        PodColumns.restarts(pod, now),
        age(pod, now),
        orNone(Json.text(pod, "status", "podIP")),
        orNone(Json.text(pod, "spec", "nodeName")),
        orNone(Json.text(pod, "status", "nominatedNodeName")),
        gates == 0 ? "<none>" : readyGates(pod) + "/" + gates);
  }

  private static int readyGates(JsonNode pod) {
    int ready = 0;
    for (JsonNode gate : pod.path("spec").path("readinessGates")) {
      for (JsonNode condition : pod.path("status").path("conditions")) {
        if (condition.path("type").asText().equals(gate.path("conditionType").asText())
            && condition.path("status").asText().equals("True")) {
          ready++;
        }
      }
    }
    return ready;
  }

  private static ArrayNode nodeCells(ObjectNode node, Instant now) {
    JsonNode info = node.path("status").path("nodeInfo");
    return cells(
        name(node),
        nodeStatus(node),
        nodeRoles(node),
        age(node, now),
        info.path("kubeletVersion").asText(""),
        orNone(address(node, "InternalIP")),
        orNone(address(node, "ExternalIP")),
        orUnknown(info.path("osImage").asText("")),
        orUnknown(info.path("kernelVersion").asText("")),
        orUnknown(info.path("containerRuntimeVersion").asText("")));
  }

  /**
   * Ready/NotReady from the Ready condition ("Unknown" without one), plus SchedulingDisabled if
   * cordoned.
   */
  private static String nodeStatus(JsonNode node) {
    String status = "Unknown";
    for (JsonNode condition : node.path("status").path("conditions")) {
      if (condition.path("type").asText().equals("Ready")) {
        status = condition.path("status").asText().equals("True") ? "Ready" : "NotReady";
      }
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      status += ",SchedulingDisabled";
    }
    return status;
  }

  /**
   * Roles from {@code node-role.kubernetes.io/<role>} labels and the {@code kubernetes.io/role}
   * label.
   */
  private static String nodeRoles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    node.path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(
            label -> {
              String key = label.getKey();
              if (key.startsWith("node-role.kubernetes.io/")) {
                String role = key.substring("node-role.kubernetes.io/".length());
                if (!role.isEmpty()) {
                  roles.add(role);
                }
              } else if (key.equals("kubernetes.io/role") && !label.getValue().asText().isEmpty()) {
                roles.add(label.getValue().asText());
              }
            });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode address : node.path("status").path("addresses")) {
      if (address.path("type").asText().equals(type)) {
        return address.path("address").asText("");
      }
    }
    return "";
  }

  private static String name(JsonNode object) {
    return Json.text(object, "metadata", "name");
  }

  private static String age(JsonNode object, Instant now) {
    return Age.since(Json.text(object, "metadata", "creationTimestamp"), now);
  }

  private static String orNone(String value) {
    return value.isEmpty() ? "<none>" : value;
  }

  private static String orUnknown(String value) {
    return value.isEmpty() ? "<unknown>" : value;
  }

  private static ArrayNode cells(String... values) {
    ArrayNode cells = Json.array();
    for (String value : values) {
      cells.add(value);
    }
    return cells;
  }
}
