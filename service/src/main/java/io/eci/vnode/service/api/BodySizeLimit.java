package io.eci.vnode.service.api;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over {@code vnode.api.max-body-bytes} with a 413 problem, whether the size
 * is declared up front or only found while reading a chunked body.
 */
@Provider
public class BodySizeLimit implements ReaderInterceptor {

  // The REST layer builds its providers at static init, before runtime configuration is there:
  // the limit is read at each request instead.
  private final Instance<ApiConfig> config;

  BodySizeLimit(Instance<ApiConfig> config) {
    this.config = config;
  }

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    long limit = config.get().maxBodyBytes();
    String declared = context.getHeaders().getFirst("Content-Length");
    if (declared != null && parse(declared) > limit) {
      throw ApiProblem.tooLarge(limit);
    }
    context.setInputStream(new Bounded(context.getInputStream(), limit));
    return context.proceed();
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static final class Bounded extends FilterInputStream {
    private final long limit;
    private long read;

    Bounded(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > limit) {
        throw ApiProblem.tooLarge(limit);
      }
    }
  }
}
