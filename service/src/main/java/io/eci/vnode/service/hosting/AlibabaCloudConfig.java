package io.eci.vnode.service.hosting;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Where the service calls ECI, VPC and STS for the clusters it hosts. */
@ConfigMapping(prefix = "vnode.eci")
public interface AlibabaCloudConfig {

  /**
   * {@code host:port} of a plain-HTTP stand-in that answers ECI, VPC and STS calls (the sandbox);
   * without it the calls go to Alibaba Cloud's endpoints of each cluster's region.
   */
  Optional<String> endpoint();
}
