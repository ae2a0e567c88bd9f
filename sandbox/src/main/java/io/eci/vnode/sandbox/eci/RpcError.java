package io.eci.vnode.sandbox.eci;

/**
 * An error answer in the shape Alibaba's gateway sends and the SDK parses: an HTTP status and a
 * body with {@code RequestId}, {@code Code} and {@code Message}. Status 5xx becomes the SDK's
 * ServerException, any other non-2xx its ClientException.
 */
public final class RpcError extends RuntimeException {

  private final int status;
  private final String code;

  RpcError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static RpcError missingParameter(String name) {
    return new RpcError(
        400,
        "MissingParameter",
        "The input parameter \""
            + name
            + "\" that is mandatory for processing this request is not supplied.");
  }

  static RpcError invalidParameter(String name, String why) {
    return new RpcError(
        400, "InvalidParameter", "The specified parameter \"" + name + "\" is not valid: " + why);
  }

  static RpcError signatureDoesNotMatch(String stringToSign) {
    // The SDK recognises this exact shape and reports SDK.InvalidAccessKeySecret when the strings
    // match.
    return new RpcError(
        400,
        "SignatureDoesNotMatch",
        "Specified signature is not matched with our calculation. server string to sign is:"
            + stringToSign);
  }

  static RpcError accessKeyNotFound() {
    return new RpcError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  }

  static RpcError securityTokenInvalid() {
    return new RpcError(
        400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired or invalid.");
  }

  static RpcError timestampExpired() {
    return new RpcError(
        400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
  }

  static RpcError nonceUsed() {
    return new RpcError(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
  }

  static RpcError actionNotFound(String action) {
    return new RpcError(
        404,
        "InvalidAction.NotFound",
        "Specified api " + action + " is not found, please check your url and method.");
  }

  static RpcError regionNotServed(String region, String served) {
    return new RpcError(
        400,
        "InvalidRegionId.NotFound",
        "The region " + region + " is not served here; this endpoint serves " + served + ".");
  }

  static RpcError noStock() {
    return new RpcError(
        403,
        "OperationDenied.NoStock",
        "The requested resource is sold out in the specified zone; try other types of resources or other regions and zones.");
  }

  static RpcError throttled() {
    return new RpcError(400, "Throttling.User", "Request was denied due to user flow control.");
  }

  static RpcError serviceUnavailable() {
    return new RpcError(
        503,
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.");
  }

  static RpcError internalError() {
    return new RpcError(
        500,
        "InternalError",
        "The request processing has failed due to some unknown error, exception or failure.");
  }

  static RpcError groupNotFound(String id) {
    return new RpcError(
        400, "InvalidParameter.NotFound", "The specified container group " + id + " is not found.");
  }

  static RpcError vSwitchNotFound(String id) {
    return new RpcError(
        400, "InvalidVSwitchId.NotFound", "The specified vSwitch " + id + " does not exist.");
  }

  static RpcError securityGroupNotFound(String id) {
    return new RpcError(
        400,
        "InvalidSecurityGroupId.NotFound",
        "The specified security group " + id + " does not exist.");
  }

  static RpcError ipExhausted(String vSwitchId) {
    return new RpcError(
        400,
        "InvalidVSwitchId.IpNotEnough",
        "The specified vSwitch " + vSwitchId + " has no free IP address.");
  }

  static RpcError incorrectStatus(String id, String status) {
    return new RpcError(
        403,
        "IncorrectStatus",
        "The container group " + id + " is " + status + " and cannot do this now.");
  }

  static RpcError entityNotExist(String what) {
    return new RpcError(
        404, "EntityNotExist." + what, "The specified " + what + " does not exist.");
  }
}
