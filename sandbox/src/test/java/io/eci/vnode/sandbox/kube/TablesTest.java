package io.eci.vnode.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server-side printing: the columns and cells kubectl shows. */
class TablesTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @Test
  void podTableHasKubectlColumnsWithWideOnesAtPriorityOne() {
    ObjectNode table = Tables.table(ResourceTypes.PODS, List.of(pod("{}")), "7", null, true, NOW);

    JsonNode columns = table.path("columnDefinitions");
    assertThat(columns.findValuesAsText("name"))
        .containsExactly(
            "Name",
            "Ready",
            "Status",
            "Restarts",
            "Age",
            "IP",
            "Node",
            "Nominated Node",
            "Readiness Gates");
    assertThat(columns.findValuesAsText("priority"))
        .containsExactly("0", "0", "0", "0", "0", "1", "1", "1", "1");
    assertThat(cells(table))
        .containsExactly(
            "web", "0/1", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>");
    assertThat(table.path("rows").get(0).path("object").path("kind").asText())
        .isEqualTo("PartialObjectMetadata");
  }

  @Test
  void podStatusFollowsKubectlRules() {
    assertThat(
            status(
                "{\"phase\":\"Pending\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":false,"
                    + "\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}]}"))
        .isEqualTo("ContainerCreating");
    assertThat(
            status(
                "{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":true,"
                    + "\"restartCount\":0,\"state\":{\"running\":{}}}]}"))
        .isEqualTo("Running");
    assertThat(status("{\"phase\":\"Failed\",\"reason\":\"Evicted\"}")).isEqualTo("Evicted");
    assertThat(
            status(
                "{\"phase\":\"Succeeded\",\"containerStatuses\":[{\"name\":\"app\","
                    + "\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}}]}"))
        .isEqualTo("Completed");
    assertThat(
            status(
                "{\"phase\":\"Failed\",\"containerStatuses\":[{\"name\":\"app\","
                    + "\"state\":{\"terminated\":{\"exitCode\":137}}}]}"))
        .isEqualTo("ExitCode:137");
    assertThat(
            status(
                "{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":\"init\","
                    + "\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]}",
                "[{\"name\":\"init\"}]"))
        .isEqualTo("Init:0/1");
    ObjectNode deleting = pod("{\"phase\":\"Running\"}");
    Json.metadata(deleting).put("deletionTimestamp", "2025-06-01T12:00:30Z");
    assertThat(PodColumns.status(deleting)).isEqualTo("Terminating");
  }

  @Test
  void readyAndRestartsCountContainers() {
    ObjectNode pod =
        pod(
            "{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"app\",\"ready\":true,\"restartCount\":2,"
                + "\"state\":{\"running\":{}},\"lastState\":{\"terminated\":{\"finishedAt\":\"2025-06-01T11:58:00Z\"}}}]}");

    assertThat(PodColumns.ready(pod)).isEqualTo("1/1");
    assertThat(PodColumns.restarts(pod, NOW)).isEqualTo("2 (2m ago)");
  }

  @Test
  void nodeTableShowsReadinessRolesAndVersion() {
    ObjectNode node =
        (ObjectNode)
            Json.parse(
                """
                {"metadata":{"name":"virtual-kubelet-cn-hangzhou-b","creationTimestamp":"2025-06-01T10:00:00Z",
                  "labels":{"kubernetes.io/role":"agent","node-role.kubernetes.io/edge":""}},
                 "spec":{"unschedulable":true},
                 "status":{"conditions":[{"type":"Ready","status":"True"}],
                  "addresses":[{"type":"InternalIP","address":"10.0.0.2"}],
                  "nodeInfo":{"kubeletVersion":"v1.32.0-vk","osImage":"ECI"}}}
                """,
                false);

    ObjectNode table = Tables.table(ResourceTypes.NODES, List.of(node), "1", null, true, NOW);

    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly(
            "Name",
            "Status",
            "Roles",
            "Age",
            "Version",
            "Internal-IP",
            "External-IP",
            "OS-Image",
            "Kernel-Version",
            "Container-Runtime");
    assertThat(cells(table))
        .containsExactly(
            "virtual-kubelet-cn-hangzhou-b",
            "Ready,SchedulingDisabled",
            "agent,edge",
            "120m",
            "v1.32.0-vk",
            "10.0.0.2",
            "<none>",
            "ECI",
            "<unknown>",
            "<unknown>");
  }

  @Test
  void nodeWithoutReadyTrueIsNotReady() {
    ObjectNode node =
        (ObjectNode)
            Json.parse(
                "{\"metadata\":{\"name\":\"n\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"Unknown\"}]}}",
                false);

    assertThat(cells(Tables.table(ResourceTypes.NODES, List.of(node), "1", null, true, NOW)).get(1))
        .isEqualTo("NotReady");
  }

  @Test
  void ageIsKubectlsHumanDuration() {
    assertThat(Age.human(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(Age.human(Duration.ofSeconds(200))).isEqualTo("3m20s");
    assertThat(Age.human(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Age.human(Duration.ofHours(5))).isEqualTo("5h");
    assertThat(Age.human(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(Age.human(Duration.ofDays(3).plusHours(4))).isEqualTo("3d4h");
    assertThat(Age.human(Duration.ofDays(800))).isEqualTo("2y70d");
  }

  private static List<String> cells(ObjectNode table) {
    List<String> cells = new ArrayList<>();
    table.path("rows").get(0).path("cells").forEach(c -> cells.add(c.asText()));
    return cells;
  }

  private static String status(String status) {
    return PodColumns.status(pod(status));
  }

  private static String status(String status, String initContainers) {
    ObjectNode pod = pod(status);
    ((ObjectNode) pod.path("spec")).set("initContainers", Json.parse(initContainers, false));
    return PodColumns.status(pod);
  }

  private static ObjectNode pod(String status) {
    ObjectNode pod =
        (ObjectNode)
            Json.parse(
                "{\"metadata\":{\"name\":\"web\",\"creationTimestamp\":\"2025-06-01T11:55:00Z\"},"
                    + "\"spec\":{\"containers\":[{\"name\":\"app\"}]},\"status\":{\"phase\":\"Pending\"}}",
                false);
    JsonNode given = Json.parse(status, false);
    if (!given.isEmpty()) {
      pod.set("status", given);
    }
    return pod;
  }
}
