package io.eci.vnode.sandbox.eci;

import io.eci.vnode.sandbox.eci.Accounts.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a request the way Alibaba's gateway does: a known AccessKey, the STS token for temporary
 * credentials, an HMAC-SHA1 signature over the decoded parameters, a timestamp within fifteen
 * minutes of the real clock, and a nonce not seen before within that window.
 */
final class RequestAuthenticator {

  private static final Duration WINDOW = Duration.ofMinutes(15);
  private static final int NONCE_PURGE_THRESHOLD = 200_000;

  private final Accounts accounts;
  private final Map<String, Instant> seenNonces = new ConcurrentHashMap<>();

  RequestAuthenticator(Accounts accounts) {
    this.accounts = accounts;
  }

  /** The principal that signed the request, or the gateway's error. */
  Principal authenticate(RpcRequest request, Instant now) {
    String accessKeyId = request.required("AccessKeyId");
    Principal principal = accounts.find(accessKeyId).orElseThrow(RpcError::accessKeyNotFound);
    if (principal.isTemporary()) {
      boolean tokenMatches =
          principal.securityToken().equals(request.params().get("SecurityToken"));
      if (!tokenMatches || now.isAfter(principal.expiresAt())) {
        throw RpcError.securityTokenInvalid();
      }
    }
    String method = request.required("SignatureMethod");
    if (!method.equals("HMAC-SHA1")) {
      throw RpcError.invalidParameter("SignatureMethod", "only HMAC-SHA1 is supported");
    }
    String signature = request.required(RpcSignature.PARAMETER);
    if (!RpcSignature.verify(request.method(), request.params(), principal.secret(), signature)) {
      throw RpcError.signatureDoesNotMatch(
          RpcSignature.stringToSign(request.method(), request.params()));
    }
    checkTimestamp(request.required("Timestamp"), now);
    checkNonce(accessKeyId + "/" + request.required("SignatureNonce"), now);
    return principal;
  }

  private static void checkTimestamp(String timestamp, Instant now) {
    Instant at;
    try {
      at = Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      throw RpcError.invalidParameter("Timestamp", "must be yyyy-MM-ddTHH:mm:ssZ in UTC");
    }
    if (Duration.between(at, now).abs().compareTo(WINDOW) > 0) {
      throw RpcError.timestampExpired();
    }
  }

  private void checkNonce(String key, Instant now) {
    if (seenNonces.size() > NONCE_PURGE_THRESHOLD) {
      seenNonces.values().removeIf(seen -> seen.plus(WINDOW).isBefore(now));
    }
    if (seenNonces.putIfAbsent(key, now) != null) {
      throw RpcError.nonceUsed();
    }
  }
}
