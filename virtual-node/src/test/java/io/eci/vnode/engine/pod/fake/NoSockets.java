package io.eci.vnode.engine.pod.fake;

import java.security.Permission;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a fast test that uses the network: while a test of a class extended with this runs, every
 * connect, listen, accept and host name lookup made by the test's thread, or by any thread it
 * started, is refused with a {@link SecurityException}, and the test fails even if the code under
 * test swallowed that exception.
 *
 * <p>Why a security manager: it is the one hook every socket of the JDK goes through, classic
 * sockets and NIO channels (fabric8's HTTP clients, the SDK's) alike, where a {@code
 * SocketImplFactory} sees only classic sockets. Only the threads of the test are checked (an
 * inheritable thread-local marks them), so another test's leftover threads in the same JVM are not;
 * the manager is installed for the class's tests only, and allows everything else.
 */
public final class NoSockets
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  /** Marks the threads of the running test; a thread started by a marked one is marked too. */
  private static final InheritableThreadLocal<Guard> GUARD = new InheritableThreadLocal<>();

  private static final class Guard {
    volatile boolean on = true;
    final List<String> refused = new CopyOnWriteArrayList<>();
  }

  private static final class Refusing extends SecurityManager {
    @Override
    public void checkPermission(Permission perm) {}

    @Override
    public void checkPermission(Permission perm, Object context) {}

    @Override
    public void checkConnect(String host, int port) {
      refuse("connect to " + host + ":" + port);
    }

    @Override
    public void checkConnect(String host, int port, Object context) {
      refuse("connect to " + host + ":" + port);
    }

    @Override
    public void checkListen(int port) {
      refuse("listen on port " + port);
    }

    @Override
    public void checkAccept(String host, int port) {
      refuse("accept from " + host + ":" + port);
    }

    private static void refuse(String what) {
      Guard guard = GUARD.get();
      if (guard != null && guard.on) {
        guard.refused.add(what);
        throw new SecurityException("a fast test must not use the network: " + what);
      }
    }
  }

  @Override
  @SuppressWarnings("removal") // Java 17 still has it, and nothing else sees every socket
  public void beforeAll(ExtensionContext context) {
    // The common pool made while a security manager is installed would have threads without
    // permissions for the rest of the JVM's life: make it before.
    ForkJoinPool.commonPool();
    if (!(System.getSecurityManager() instanceof Refusing)) {
      System.setSecurityManager(new Refusing());
    }
  }

  @Override
  @SuppressWarnings("removal")
  public void afterAll(ExtensionContext context) {
    if (System.getSecurityManager() instanceof Refusing) {
      System.setSecurityManager(null);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    GUARD.set(new Guard());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Guard guard = GUARD.get();
    GUARD.remove();
    guard.on = false;
    if (!guard.refused.isEmpty()) {
      throw new AssertionError("the test used the network: " + guard.refused);
    }
  }

  /** What the running test was refused so far, forgotten: for the test of this extension. */
  public static List<String> takeRefused() {
    Guard guard = GUARD.get();
    List<String> refused = List.copyOf(guard.refused);
    guard.refused.clear();
    return refused;
  }
}
