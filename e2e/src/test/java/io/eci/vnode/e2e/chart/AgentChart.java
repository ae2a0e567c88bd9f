package io.eci.vnode.e2e.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** The agent's Helm chart as Helm renders it, installed into kube-system as docs/deploy.md says. */
final class AgentChart {

  static final Path DIR = Path.of("..", "deploy", "helm", "eci-virtual-node-agent");
  static final String NAMESPACE = "kube-system";

  /** The values an installation cannot do without. */
  static Map<String, Object> minimalValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("serviceUrl", "https://vnode.example.com");
    values.put("clusterId", "c-0123456789");
    values.put("token", "agent-token-secret");
    return values;
  }

  private AgentChart() {}

  /** The chart's objects with these values; Helm's error as an IllegalStateException otherwise. */
  static List<HasMetadata> render(Map<String, Object> values) {
    return parse(renderText(values));
  }

  /**
   * What {@code helm template} prints, hooks included. helm-java's template prints only the
   * release's manifest, leaving the hooks out, so it renders a copy of the chart whose hook
   * annotations are spelt differently (Helm then takes them for ordinary objects), and the output
   * gets their real spelling back: the same text, the drain Job and its identity in it.
   */
  static String renderText(Map<String, Object> values) {
    return renderText(NAMESPACE, values);
  }

  /** The same, installed into {@code namespace}. */
  static String renderText(String namespace, Map<String, Object> values) {
    TemplateCommand template =
        new Helm(hooksAsObjects())
            .template()
            .withName("eci-virtual-node-agent")
            .withNamespace(namespace);
    values.forEach(template::set);
    return template.call().replace(HOOK_STAND_IN, HOOK);
  }

  private static final String HOOK = "helm.sh/hook";
  private static final String HOOK_STAND_IN = "eci-vnode.test/hook";
  private static Path hooksAsObjects;

  private static synchronized Path hooksAsObjects() {
    if (hooksAsObjects == null) {
      try {
        Path copy = copy(Files.createTempDirectory("agent-chart"));
        try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
          for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
            Files.writeString(f, Files.readString(f).replace(HOOK, HOOK_STAND_IN));
          }
        }
        hooksAsObjects = copy;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return hooksAsObjects;
  }

  /** A copy of the chart in {@code dir}, to change before Helm reads it. */
  static Path copy(Path dir) throws IOException {
    Path target = dir.resolve("eci-virtual-node-agent");
    try (Stream<Path> files = Files.walk(DIR)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(DIR.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return target;
  }

  static List<HasMetadata> parse(String yaml) {
    Object parsed = new KubernetesSerialization().unmarshal(yaml);
    if (parsed instanceof HasMetadata single) {
      return List.of(single);
    }
    @SuppressWarnings("unchecked")
    List<HasMetadata> objects = (List<HasMetadata>) parsed;
    return objects.stream().filter(Objects::nonNull).toList();
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> kind, String name) {
    return all(objects, kind).stream()
        .filter(o -> name.equals(o.getMetadata().getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
  }

  /** Whether Helm runs the object as a pre-delete hook rather than installing it. */
  static boolean isPreDeleteHook(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations != null && "pre-delete".equals(annotations.get("helm.sh/hook"));
  }
}
