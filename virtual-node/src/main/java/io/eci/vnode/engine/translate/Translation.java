package io.eci.vnode.engine.translate;

import io.eci.vnode.engine.eci.CreateInstance;
import java.util.List;

/**
 * A pod as an ECI create request, and what had to be left out (each becomes a Warning event on the
 * pod).
 *
 * @param create the request, its client token the pod's UID
 * @param warnings parts of the pod ECI does not run, dropped on purpose
 */
public record Translation(CreateInstance create, List<String> warnings) {}
