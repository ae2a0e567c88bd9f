package io.eci.vnode.sandbox.eci;

import io.eci.vnode.sandbox.eci.Lifecycle.Timing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar sandbox.jar eci [options]}: runs an ECI endpoint on loopback until interrupted.
 */
public final class EciCommand {

  private static final String USAGE =
      """
      usage: java -jar sandbox.jar eci [options]
        --port N                       port to listen on (default 18080; 0 picks a free one)
        --region ID                    region served (default cn-hangzhou)
        --access-key-id ID             an AccessKey that may call it (with --access-key-secret)
        --access-key-secret SECRET
        --account ID:SECRET            another AccessKey (repeatable)
        --vswitch ID=ZONE:CIDR         a vSwitch, e.g. vsw-a=cn-hangzhou-a:10.1.0.0/16 (repeatable;
                                       default vsw-sandbox-a and vsw-sandbox-b in zones a and b)
        --scheduling-seconds S         time an instance spends Scheduling (default 1)
        --pending-seconds S            time it spends Pending before Running (default 2)
        --terminating-seconds S        time a deleted instance spends Terminating (default 1)
        --instant                      no provisioning delay at all
        --state FILE                   keep instances in FILE across restarts (written on exit)
      Fault injection, counters and the clock: see docs/sandbox.md (POST /_sandbox/faults ...).
      This endpoint is a stand-in for tests and demos, not Alibaba Cloud.
      """;

  private static final Set<String> VALUED_OPTIONS =
      Set.of(
          "--port",
          "--region",
          "--access-key-id",
          "--access-key-secret",
          "--account",
          "--vswitch",
          "--scheduling-seconds",
          "--pending-seconds",
          "--terminating-seconds",
          "--state");

  private EciCommand() {}

  /** Option values that shape the sandbox beyond what the builder takes directly. */
  private static final class Options {
    String keyId;
    String keySecret;
    double scheduling = 1;
    double pending = 2;
    double terminating = 1;
    boolean instant;
  }

  public static void main(String[] args) throws InterruptedException {
    EciSandbox.Builder builder = EciSandbox.builder().port(18080);
    Options options = new Options();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        System.out.print(USAGE);
        return;
      }
      if (flag.equals("--instant")) {
        options.instant = true;
        continue;
      }
      if (!VALUED_OPTIONS.contains(flag)) {
        fail("unknown option " + flag);
      }
      if (i + 1 >= args.length) {
        fail("missing value after " + flag);
      }
      String value = args[++i];
      try {
        apply(builder, options, flag, value);
      } catch (NumberFormatException e) {
        fail(flag + " takes a number, not '" + value + "'");
      }
    }
    if ((options.keyId == null) != (options.keySecret == null)) {
      fail("--access-key-id and --access-key-secret go together");
    }
    if (options.keyId != null) {
      builder.accessKey(options.keyId, options.keySecret);
    }
    builder.timing(
        options.instant
            ? Timing.instant()
            : new Timing(
                seconds(options.scheduling),
                seconds(options.pending),
                seconds(options.terminating),
                Duration.ofSeconds(10)));
    EciSandbox sandbox;
    try {
      sandbox = builder.start();
    } catch (IllegalStateException | IllegalArgumentException e) {
      fail(e.getMessage() + " (--access-key-id/--access-key-secret or --account)");
      return;
    }
    System.out.println(
        "ECI sandbox (a stand-in for tests and demos) serving "
            + sandbox.region()
            + " on http://"
            + sandbox.endpoint());
    System.out.println(
        "  SDK endpoint:  request.setSysEndpoint(\""
            + sandbox.endpoint()
            + "\"); request.setSysProtocol(ProtocolType.HTTP);");
    System.out.println(
        "  Admin API:     http://"
            + sandbox.endpoint()
            + "/_sandbox/counters (see docs/sandbox.md)");
    System.out.println("Press Ctrl-C to stop.");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sandbox.close();
                  stopped.countDown();
                }));
    stopped.await();
  }

  private static void apply(
      EciSandbox.Builder builder, Options options, String flag, String value) {
    switch (flag) {
      case "--port" -> builder.port(Integer.parseInt(value));
      case "--region" -> builder.region(value);
      case "--state" -> builder.stateFile(Path.of(value));
      case "--access-key-id" -> options.keyId = value;
      case "--access-key-secret" -> options.keySecret = value;
      case "--account" -> {
        int colon = value.indexOf(':');
        if (colon < 1) {
          fail("--account takes ID:SECRET");
        }
        builder.accessKey(value.substring(0, colon), value.substring(colon + 1));
      }
      case "--vswitch" -> {
        String[] idRest = value.split("=", 2);
        String[] zoneCidr = idRest.length == 2 ? idRest[1].split(":", 2) : new String[0];
        if (zoneCidr.length != 2) {
          fail("--vswitch takes ID=ZONE:CIDR, e.g. vsw-a=cn-hangzhou-a:10.1.0.0/16");
        }
        builder.vSwitch(idRest[0], zoneCidr[0], zoneCidr[1]);
      }
      case "--scheduling-seconds" -> options.scheduling = Double.parseDouble(value);
      case "--pending-seconds" -> options.pending = Double.parseDouble(value);
      case "--terminating-seconds" -> options.terminating = Double.parseDouble(value);
      default -> fail("unknown option " + flag);
    }
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis((long) (s * 1000));
  }

  private static void fail(String message) {
    System.err.println("eci: " + message);
    System.err.print(USAGE);
    System.exit(2);
  }
}
