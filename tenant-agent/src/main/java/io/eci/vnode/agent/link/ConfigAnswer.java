package io.eci.vnode.agent.link;

import io.eci.vnode.agent.configuration.RemoteConfig;

/** What the service answered a configuration request with. */
public sealed interface ConfigAnswer {

  /** A configuration newer than the one the agent named, with its JSON and ETag. */
  record Changed(RemoteConfig config, String json, String etag) implements ConfigAnswer {}

  /** Nothing changed by the end of the wait (304). */
  record Unchanged() implements ConfigAnswer {}

  /** The service refused the token: 401 (unknown or revoked) or 403 (another cluster's). */
  record Refused(int status, String message) implements ConfigAnswer {}

  /** The service could not be reached, or answered something the agent cannot use. */
  record Failed(String message) implements ConfigAnswer {}
}
