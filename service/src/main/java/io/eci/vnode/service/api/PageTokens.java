package io.eci.vnode.service.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The opaque {@code pageToken} of every list: the position after the last item, as text parts. A
 * marker inside the token lets the API tell its own tokens from anything else, so a token it did
 * not hand out is a 400 on every list instead of an empty or arbitrary page.
 */
public final class PageTokens {

  private static final String MARKER = "vnode-page:";
  // Names, namespaces and UIDs never contain '/', so it separates the parts unambiguously.
  private static final String SEPARATOR = "/";

  private PageTokens() {}

  /** The token that continues a listing after the item at {@code position}. */
  public static String encode(List<String> position) {
    String text = MARKER + String.join(SEPARATOR, position);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position a token names, with exactly {@code parts} non-empty parts; null for no token.
   *
   * @throws ApiProblem 400 naming {@code pageToken} for anything this API did not hand out
   */
  public static List<String> decode(String token, int parts) {
    if (token == null) {
      return null;
    }
    return text(token)
        .filter(text -> text.startsWith(MARKER))
        .map(text -> List.of(text.substring(MARKER.length()).split(SEPARATOR, -1)))
        .filter(found -> found.size() == parts && found.stream().noneMatch(String::isEmpty))
        .orElseThrow(
            () ->
                ApiProblem.invalid(
                    "pageToken", "is not a token this API handed out; use nextPageToken"));
  }

  private static Optional<String> text(String token) {
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(token);
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
