package io.eci.vnode.agent.engine;

import com.aliyuncs.auth.AlibabaCloudCredentials;
import com.aliyuncs.auth.AlibabaCloudCredentialsProvider;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The credentials an engine's SDK client signs with, replaced in place when the service hands out
 * new ones (STS renewed, a key rotated): the engine keeps running and its next call signs with
 * them.
 */
final class SwappableCredentials implements AlibabaCloudCredentialsProvider {

  private final AtomicReference<AlibabaCloudCredentials> current;

  SwappableCredentials(AlibabaCloudCredentials initial) {
    this.current = new AtomicReference<>(initial);
  }

  void swap(AlibabaCloudCredentials next) {
    current.set(next);
  }

  @Override
  public AlibabaCloudCredentials getCredentials() {
    return current.get();
  }
}
