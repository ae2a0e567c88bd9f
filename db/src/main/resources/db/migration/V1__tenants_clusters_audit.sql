-- Tenants and their API tokens. A token is shown once; only the SHA-256 of its secret part is kept.
CREATE TABLE tenants (
    id          text        PRIMARY KEY,
    name        text        NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL
);

CREATE TABLE api_tokens (
    id           text        PRIMARY KEY,
    tenant_id    text        NOT NULL REFERENCES tenants (id),
    description  text,
    secret_hash  bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_by_tenant ON api_tokens (tenant_id);

-- A registered cluster: how to reach its API server. The credentials are AES-GCM ciphertext; the key id
-- names the master key that sealed them so keys can rotate.
CREATE TABLE clusters (
    id                        uuid        PRIMARY KEY,
    tenant_id                 text        NOT NULL REFERENCES tenants (id),
    name                      text        NOT NULL,
    region                    text        NOT NULL,
    mode                      text        NOT NULL CHECK (mode IN ('managed', 'unmanaged')),
    api_server_url            text        NOT NULL,
    api_server_ca             text,
    api_credential_type       text        NOT NULL
                                          CHECK (api_credential_type IN ('token', 'client-certificate', 'kubeconfig')),
    api_credential_key_id     text        NOT NULL,
    api_credential_ciphertext bytea       NOT NULL,
    version                   bigint      NOT NULL,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    CONSTRAINT clusters_name_unique_per_tenant UNIQUE (tenant_id, name)
);

-- The desired ECI configuration of a cluster's virtual node.
CREATE TABLE cluster_configs (
    cluster_id                   uuid    PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    tenant_id                    text    NOT NULL REFERENCES tenants (id),
    vswitch_ids                  text    NOT NULL,
    security_group_id            text    NOT NULL,
    kube_proxy                   boolean NOT NULL,
    eci_credential_type          text    NOT NULL CHECK (eci_credential_type IN ('access-key', 'ram-role')),
    access_key_id                text,
    access_key_secret_key_id     text,
    access_key_secret_ciphertext bytea,
    ram_role_arn                 text,
    CONSTRAINT cluster_configs_credentials_complete CHECK (
        (eci_credential_type = 'access-key' AND access_key_id IS NOT NULL
             AND access_key_secret_ciphertext IS NOT NULL AND access_key_secret_key_id IS NOT NULL
             AND ram_role_arn IS NULL)
        OR (eci_credential_type = 'ram-role' AND ram_role_arn IS NOT NULL
             AND access_key_id IS NULL AND access_key_secret_ciphertext IS NULL))
);

-- What the virtual node of a cluster last reported; written by whoever runs its engine.
CREATE TABLE cluster_statuses (
    cluster_id        uuid        PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    tenant_id         text        NOT NULL REFERENCES tenants (id),
    node_ready        boolean     NOT NULL,
    last_heartbeat_at timestamptz,
    owner             text,
    pods_pending      integer     NOT NULL,
    pods_running      integer     NOT NULL,
    pods_succeeded    integer     NOT NULL,
    pods_failed       integer     NOT NULL,
    last_error        text,
    last_error_at     timestamptz
);

-- Who changed what, when. Never holds a secret value; outlives the clusters it speaks of.
CREATE TABLE audit_log (
    id           bigserial   PRIMARY KEY,
    tenant_id    text        NOT NULL REFERENCES tenants (id),
    actor        text        NOT NULL,
    action       text        NOT NULL,
    target_type  text        NOT NULL,
    target_id    text        NOT NULL,
    details      jsonb       NOT NULL,
    request_id   text,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX audit_log_by_tenant_time ON audit_log (tenant_id, occurred_at DESC, id DESC);
