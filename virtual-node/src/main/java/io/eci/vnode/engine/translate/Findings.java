package io.eci.vnode.engine.translate;

import java.util.ArrayList;
import java.util.List;

/** What a translation found wrong or left out, collected so the user learns everything at once. */
final class Findings {

  final List<String> unsupported = new ArrayList<>();
  final List<String> waiting = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();

  void unsupported(String reason) {
    unsupported.add(reason);
  }

  void waiting(String reason) {
    waiting.add(reason);
  }

  void warn(String warning) {
    warnings.add(warning);
  }

  /** Throws for unsupported parts first (final), then for missing references (worth a retry). */
  void throwIfAny() {
    if (!unsupported.isEmpty()) {
      throw new TranslationException(TranslationException.Kind.UNSUPPORTED, unsupported);
    }
    if (!waiting.isEmpty()) {
      throw new TranslationException(TranslationException.Kind.WAITING, waiting);
    }
  }
}
