package io.eci.vnode.service.api;

import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests that HTTP clients refuse to send: a request line with
 * a malformed percent-encoding, or a body streamed in chunks without a declared length.
 */
final class RawHttp {

  /** An answer: its status, headers (names in lower case) and body. */
  record Answer(int status, Map<String, String> headers, String body) {

    String contentType() {
      return headers.getOrDefault("content-type", "");
    }
  }

  private RawHttp() {}

  /** Sends {@code method target} as it is written, with the given headers and no body. */
  static Answer send(String method, String target, Map<String, String> headers) {
    return exchange(method, target, headers, null, 0);
  }

  /**
   * Sends a body of {@code size} bytes ({@code chunk} repeated) with {@code Transfer-Encoding:
   * chunked}, so the server learns its size only by reading it.
   */
  static Answer sendChunked(
      String method, String target, Map<String, String> headers, byte[] chunk, long size) {
    return exchange(method, target, headers, chunk, size);
  }

  private static Answer exchange(
      String method, String target, Map<String, String> headers, byte[] chunk, long size) {
    try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1:").append(RestAssured.port).append("\r\n");
      head.append("Connection: close\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      if (chunk != null) {
        head.append("Transfer-Encoding: chunked\r\n");
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      if (chunk != null) {
        writeChunks(out, chunk, size);
      }
      out.flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeChunks(OutputStream out, byte[] chunk, long size) {
    // The server may answer and close before it has read everything: that is an answer too.
    try {
      for (long sent = 0; sent < size; sent += chunk.length) {
        int n = (int) Math.min(chunk.length, size - sent);
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk, 0, n);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException closedEarly) {
      // read what was answered
    }
  }

  private static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      in.transferTo(all);
    } catch (IOException reset) {
      // a connection reset after the answer was written still leaves the answer
    }
    String text = all.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no HTTP answer: [" + text + "]");
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Answer(status, headers, body);
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
}
