package io.eci.vnode.sandbox.eci;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Named faults a test or a demo turns on, in Java or over the admin API. Each is checked on every
 * call, in this order: stall, added latency, throttling, a queued one-off failure, the random 5xx
 * rate. Stock-outs are per zone and act on CreateContainerGroup.
 */
public final class Faults {

  /** How a zone without stock answers. */
  public enum StockOut {
    /** CreateContainerGroup fails at once with 403 OperationDenied.NoStock. */
    REJECT,
    /** The instance is created but ends in ScheduleFailed with a NoStock event. */
    SCHEDULE_FAILED
  }

  private static final Duration LONGEST_STALL = Duration.ofMinutes(5);

  private final Map<String, StockOut> stockOuts = new ConcurrentHashMap<>();
  private final Map<String, Queue<EciFault>> queued = new ConcurrentHashMap<>();
  private final Map<String, long[]> callsThisSecond = new ConcurrentHashMap<>();
  private final Random random = new Random(42);
  private volatile double serverErrorRate;
  private volatile Duration latency = Duration.ZERO;
  private volatile int maxQpsPerAccessKey;
  private volatile CountDownLatch stall;

  /** Makes a zone run out of stock. */
  public void stockOut(String zoneId, StockOut mode) {
    stockOuts.put(zoneId, mode);
  }

  /** Brings stock back to a zone. */
  public void restock(String zoneId) {
    stockOuts.remove(zoneId);
  }

  /** Fails the next call of {@code action} with {@code fault}; several calls queue up in order. */
  public void failNext(String action, EciFault fault) {
    queued.computeIfAbsent(action, a -> new ConcurrentLinkedQueue<>()).add(fault);
  }

  /**
   * Answers Throttling.User to an AccessKey's calls beyond {@code qps} in one second; 0 turns it
   * off.
   */
  public void throttleAbove(int qps) {
    maxQpsPerAccessKey = qps;
  }

  /** Answers this fraction of calls (0 to 1) with 503 ServiceUnavailable. */
  public void serverErrors(double rate) {
    if (rate < 0 || rate > 1) {
      throw new IllegalArgumentException("rate must be between 0 and 1: " + rate);
    }
    serverErrorRate = rate;
  }

  /** Delays every answer by this much. */
  public void latency(Duration added) {
    latency = added;
  }

  /** Holds every call until {@link #release()} (or five minutes), as a hung endpoint would. */
  public void stall() {
    if (stall == null) {
      stall = new CountDownLatch(1);
    }
  }

  /** Lets stalled calls go on. */
  public void release() {
    CountDownLatch gate = stall;
    stall = null;
    if (gate != null) {
      gate.countDown();
    }
  }

  /** Turns every fault off. */
  public void reset() {
    stockOuts.clear();
    queued.clear();
    serverErrorRate = 0;
    latency = Duration.ZERO;
    maxQpsPerAccessKey = 0;
    release();
  }

  /** How a zone answers creates: empty while it has stock. */
  Optional<StockOut> stockOutIn(String zoneId) {
    return Optional.ofNullable(stockOuts.get(zoneId));
  }

  /** Applies the call-level faults to a call; throws the error it must get, if any. */
  void beforeCall(String action, String accessKeyId) {
    awaitStall();
    sleep(latency);
    throttle(accessKeyId);
    Queue<EciFault> next = queued.get(action);
    EciFault fault = next == null ? null : next.poll();
    if (fault != null) {
      throw fault.error();
    }
    double rate = serverErrorRate;
    if (rate > 0 && nextDouble() < rate) {
      throw RpcError.serviceUnavailable();
    }
  }

  private void throttle(String accessKeyId) {
    int max = maxQpsPerAccessKey;
    if (max <= 0) {
      return;
    }
    long second = System.currentTimeMillis() / 1000;
    long[] window = callsThisSecond.computeIfAbsent(accessKeyId, k -> new long[2]);
    synchronized (window) {
      if (window[0] != second) {
        window[0] = second;
        window[1] = 0;
      }
      if (++window[1] > max) {
        throw RpcError.throttled();
      }
    }
  }

  private synchronized double nextDouble() {
    return random.nextDouble();
  }

  private void awaitStall() {
    CountDownLatch gate = stall;
    if (gate == null) {
      return;
    }
    try {
      gate.await(LONGEST_STALL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
