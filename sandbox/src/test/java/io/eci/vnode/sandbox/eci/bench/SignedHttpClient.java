package io.eci.vnode.sandbox.eci.bench;

import io.eci.vnode.sandbox.eci.EciSandbox;
import io.eci.vnode.sandbox.eci.RpcSignature;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lean client for measuring the sandbox itself: every request is signed with a fresh nonce
 * exactly as the SDK signs it, sent over a kept-alive socket, and its answer read but not parsed,
 * so the client costs little beside the server on a shared machine.
 */
final class SignedHttpClient {

  private final EciSandbox sandbox;
  private final String key;
  private final String secret;

  SignedHttpClient(EciSandbox sandbox, String key, String secret) {
    this.sandbox = sandbox;
    this.key = key;
    this.secret = secret;
  }

  double measureDescribeByTag(
      ExecutorService pool, int threads, Duration measure, int clusters, LongAdder errors)
      throws Exception {
    LongAdder calls = new LongAdder();
    AtomicInteger n = new AtomicInteger();
    long deadline = System.nanoTime() + measure.toNanos();
    long started = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      running.add(
          pool.submit(
              () -> {
                try (Socket socket = new Socket("127.0.0.1", sandbox.port())) {
                  socket.setTcpNoDelay(true);
                  OutputStream out = socket.getOutputStream();
                  InputStream in = new BufferedInputStream(socket.getInputStream());
                  while (System.nanoTime() < deadline) {
                    String cluster = "cluster-" + (n.getAndIncrement() % clusters);
                    out.write(request(cluster).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (readAnswer(in) == 200) {
                      calls.increment();
                    } else {
                      errors.increment();
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    return calls.sum() / ((System.nanoTime() - started) / 1e9);
  }

  private String request(String cluster) {
    Map<String, String> params = new TreeMap<>();
    params.put("Action", "DescribeContainerGroups");
    params.put("Version", "2018-08-08");
    params.put("Format", "JSON");
    params.put("AccessKeyId", key);
    params.put("SignatureMethod", "HMAC-SHA1");
    params.put("SignatureVersion", "1.0");
    params.put("SignatureNonce", UUID.randomUUID().toString());
    params.put("Timestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    params.put("RegionId", sandbox.region());
    params.put("Tag.1.Key", "eci-vnode/cluster");
    params.put("Tag.1.Value", cluster);
    params.put("Limit", "20");
    params.put("Signature", RpcSignature.sign("GET", params, secret));
    StringBuilder query = new StringBuilder();
    params.forEach(
        (k, v) ->
            query
                .append(query.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return "GET /?"
        + query
        + " HTTP/1.1\r\nHost: "
        + sandbox.endpoint()
        + "\r\nConnection: keep-alive\r\n\r\n";
  }

  /** Reads one answer (status line, headers, Content-Length body) and returns its status. */
  private static int readAnswer(InputStream in) throws IOException {
    String status = line(in);
    int length = 0;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(header.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return Integer.parseInt(status.split(" ")[1]);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
