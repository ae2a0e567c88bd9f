package io.eci.vnode.engine.pod.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The guard of the fast tests refuses every way of opening a socket, on every thread of a test. */
@ExtendWith(NoSockets.class)
class NoSocketsTest {

  @Test
  void aClassicSocketIsRefused() {
    assertThatThrownBy(() -> new Socket("127.0.0.1", 9).close())
        .isInstanceOf(SecurityException.class);
    assertThat(NoSockets.takeRefused()).containsExactly("connect to 127.0.0.1:9");
  }

  @Test
  void anNioChannelAsHttpClientsOpenThemIsRefused() {
    assertThatThrownBy(() -> SocketChannel.open(new InetSocketAddress("127.0.0.1", 9)).close())
        .isInstanceOf(SecurityException.class);
    assertThat(NoSockets.takeRefused()).isNotEmpty();
  }

  @Test
  void listeningIsRefused() {
    assertThatThrownBy(() -> new ServerSocket(0).close()).isInstanceOf(SecurityException.class);
    assertThat(NoSockets.takeRefused()).isNotEmpty();
  }

  @Test
  void aSocketOpenedOnAThreadTheTestStartedIsRefusedToo() throws Exception {
    var pool = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<Throwable> refused = new CompletableFuture<>();
      pool.execute(
          () -> {
            try (Socket s = new Socket("127.0.0.1", 9)) {
              refused.complete(null);
            } catch (Throwable e) {
              refused.complete(e);
            }
          });
      assertThat(refused.get()).isInstanceOf(SecurityException.class);
    } finally {
      pool.shutdownNow();
    }
    assertThat(NoSockets.takeRefused()).isNotEmpty();
  }
}
