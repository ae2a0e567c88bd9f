package io.eci.vnode.sandbox.eci;

import io.eci.vnode.sandbox.eci.Lifecycle.Timing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local Alibaba Cloud ECI endpoint (plus the RAM, STS, VPC and ECS calls the product makes) that
 * the real {@code aliyun-java-sdk-eci} talks to over HTTP exactly as it talks to {@code
 * eci.<region>.aliyuncs.com}: signed requests, the same parameters, the same JSON, the same errors.
 * For tests, demos and offline work.
 *
 * <pre>{@code
 * try (EciSandbox eci = EciSandbox.builder().accessKey("ak", "secret").start()) {
 *   request.setSysEndpoint(eci.endpoint());          // "127.0.0.1:<port>"
 *   request.setSysProtocol(ProtocolType.HTTP);
 * }
 * }</pre>
 */
public final class EciSandbox implements AutoCloseable {

  /**
   * What a sandbox serves.
   *
   * @param region the one region it answers for
   * @param vSwitches the vSwitches instances may be placed in, each in a zone with a CIDR
   * @param securityGroups the security groups that exist; empty: every {@code sg-<...>} id exists
   * @param timing how long instances spend in each state
   * @param describeLimitMax the largest Limit DescribeContainerGroups accepts (20, as in ECI)
   * @param statusLimitMax the largest Limit DescribeContainerGroupStatus accepts
   */
  public record Settings(
      String region,
      List<VSwitch> vSwitches,
      List<String> securityGroups,
      Timing timing,
      int describeLimitMax,
      int statusLimitMax) {

    Optional<VSwitch> vSwitch(String id) {
      return vSwitches.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    /**
     * Whether a security group of this id exists: one of {@link #securityGroups}, or, when none are
     * configured, any id that looks like one.
     */
    boolean securityGroupExists(String id) {
      return securityGroups.isEmpty() ? id.startsWith("sg-") : securityGroups.contains(id);
    }
  }

  private final Settings settings;
  private final Accounts accounts;
  private final SandboxClock clock;
  private final Faults faults = new Faults();
  private final Counters counters = new Counters();
  private final ContainerGroupStore store = new ContainerGroupStore();
  private final EciServer server;
  private int port;

  private final Snapshot snapshot;

  private EciSandbox(Settings settings, Accounts accounts, SandboxClock clock, Snapshot snapshot) {
    this.settings = settings;
    this.accounts = accounts;
    this.clock = clock;
    this.snapshot = snapshot;
    if (snapshot != null) {
      store.restore(snapshot.load());
    }
    Lifecycle lifecycle = new Lifecycle(settings.timing());
    // ECI takes instance addresses from these; VPC reports what is left of them.
    Map<String, VSwitch.Addresses> addresses = new LinkedHashMap<>();
    settings.vSwitches().forEach(v -> addresses.put(v.id(), new VSwitch.Addresses(v)));
    this.server =
        new EciServer(
            new RequestAuthenticator(accounts),
            ParameterRules.load(),
            faults,
            counters,
            new EciActions(settings, store, lifecycle, clock, faults, addresses),
            new VpcActions(settings, addresses),
            new EcsActions(settings),
            new RamStsActions(accounts),
            new AdminApi(faults, counters, clock, store, lifecycle));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:<port>}: what the SDK takes as an endpoint (no scheme). */
  public String endpoint() {
    return "127.0.0.1:" + port;
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** The region it serves. */
  public String region() {
    return settings.region();
  }

  /** The faults to inject. */
  public Faults faults() {
    return faults;
  }

  /** Calls per action and errors per code. */
  public Counters counters() {
    return counters;
  }

  /** The clock instances live by; advance it to fast-forward lifecycles. */
  public SandboxClock clock() {
    return clock;
  }

  /** The identities that may call it; more can be added while it runs. */
  public Accounts accounts() {
    return accounts;
  }

  /** How many instances it holds (deleted ones drop out once they finish terminating). */
  public int instanceCount() {
    return store.size();
  }

  @Override
  public void close() {
    server.close();
    if (snapshot != null) {
      snapshot.save(store.all());
    }
  }

  /** Builds a sandbox; everything has a default except the AccessKeys, of which one is needed. */
  public static final class Builder {
    private String region = "cn-hangzhou";
    private final List<VSwitch> vSwitches = new ArrayList<>();
    private final List<String> securityGroups = new ArrayList<>();
    private final Accounts accounts = new Accounts();
    private boolean anyKey;
    private Timing timing =
        new Timing(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            Duration.ofSeconds(10));
    private int describeLimitMax = 20;
    private int statusLimitMax = 200;
    private int port;
    private SandboxClock clock = new SandboxClock();
    private Path stateFile;

    /** The region served (default cn-hangzhou). */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** A RAM user's AccessKey that may call the sandbox, with full ECI access. */
    public Builder accessKey(String id, String secret) {
      accounts.addAccessKey(id, secret, "user-" + id.toLowerCase());
      anyKey = true;
      return this;
    }

    /** A RAM user's AccessKey with exactly these policies (e.g. none, to test a denied tenant). */
    public Builder accessKey(String id, String secret, String userName, List<String> policies) {
      accounts.addAccessKey(id, secret, userName, policies);
      anyKey = true;
      return this;
    }

    /** A vSwitch; without any, {@code vsw-sandbox-a} and {@code -b} in zones a and b are served. */
    public Builder vSwitch(String id, String zoneId, String cidr) {
      VSwitch v = new VSwitch(id, zoneId, cidr);
      new VSwitch.Addresses(v);
      vSwitches.add(v);
      return this;
    }

    /**
     * A security group that exists (ECS DescribeSecurityGroups lists it, CreateContainerGroup
     * accepts it); without any, every {@code sg-<...>} id exists.
     */
    public Builder securityGroup(String id) {
      if (!id.startsWith("sg-")) {
        throw new IllegalArgumentException("a security group id starts with sg-: " + id);
      }
      securityGroups.add(id);
      return this;
    }

    /** How long instances spend in each state; {@link Timing#instant()} for benchmarks. */
    public Builder timing(Timing timing) {
      this.timing = timing;
      return this;
    }

    /** No provisioning delay at all: instances are Running as soon as they are created. */
    public Builder instantProvisioning() {
      return timing(Timing.instant());
    }

    /**
     * How long a deleted instance stays Terminating before it is gone (default 1 s; none with
     * {@link #instantProvisioning()}); call after choosing the other timings.
     */
    public Builder terminating(Duration terminating) {
      this.timing =
          new Timing(timing.scheduling(), timing.pending(), terminating, timing.restartBackoff());
      return this;
    }

    /** The largest page DescribeContainerGroups serves (ECI's is 20). */
    public Builder describeLimitMax(int max) {
      this.describeLimitMax = max;
      return this;
    }

    /** The port to listen on; 0 (default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** A clock of the caller's, e.g. shared by several sandboxes. */
    public Builder clock(SandboxClock clock) {
      this.clock = clock;
      return this;
    }

    /** Keeps instances in this JSON file across restarts: read at start, written at close. */
    public Builder stateFile(Path file) {
      this.stateFile = file;
      return this;
    }

    /** Starts the sandbox on loopback. */
    public EciSandbox start() {
      if (!anyKey) {
        throw new IllegalStateException(
            "an ECI sandbox needs at least one AccessKey (builder.accessKey)");
      }
      if (vSwitches.isEmpty()) {
        vSwitch("vsw-sandbox-a", region + "-a", "10.1.0.0/16");
        vSwitch("vsw-sandbox-b", region + "-b", "10.2.0.0/16");
      }
      Settings settings =
          new Settings(
              region,
              List.copyOf(vSwitches),
              List.copyOf(securityGroups),
              timing,
              describeLimitMax,
              statusLimitMax);
      EciSandbox sandbox =
          new EciSandbox(
              settings, accounts, clock, stateFile == null ? null : new Snapshot(stateFile));
      try {
        sandbox.port = sandbox.server.start(port);
      } catch (IOException e) {
        throw new UncheckedIOException("the ECI sandbox could not listen on port " + port, e);
      }
      return sandbox;
    }
  }
}
