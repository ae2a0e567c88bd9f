package io.eci.vnode.engine.eci;

import com.aliyuncs.eci.model.v20180808.CreateContainerGroupRequest;

/**
 * What to create: a fully built request (from the pod translator) and the token that makes creating
 * it twice harmless — the pod's UID.
 *
 * @param request the CreateContainerGroup request, without endpoint or credentials
 * @param clientToken the idempotency token
 */
public record CreateInstance(CreateContainerGroupRequest request, String clientToken) {}
