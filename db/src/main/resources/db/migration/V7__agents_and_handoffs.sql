-- Unmanaged mode: the in-cluster agent of a cluster authenticates with agent tokens (scoped to that one
-- cluster, several live at once for rotation, stored as the SHA-256 of their secret part), reports by
-- heartbeat, and a switch of mode is a handoff that lasts until the side now in charge holds the cluster's
-- ownership Lease.
CREATE TABLE agent_tokens (
    id            text        PRIMARY KEY,
    cluster_id    uuid        NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    tenant_id     text        NOT NULL REFERENCES tenants (id),
    description   text,
    secret_hash   bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
CREATE INDEX agent_tokens_of_cluster ON agent_tokens (cluster_id, created_at);

-- The last heartbeat of the cluster's agent (one row a cluster: the newest agent process wins).
CREATE TABLE agent_heartbeats (
    cluster_id         uuid        PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    tenant_id          text        NOT NULL REFERENCES tenants (id),
    token_id           text        NOT NULL,
    agent_version      text,
    holder             text        NOT NULL,
    lease_owner        text,
    node_name          text,
    node_ready         boolean     NOT NULL,
    config_version     bigint,
    lease_acquired_at  timestamptz,
    last_error         text,
    last_error_at      timestamptz,
    received_at        timestamptz NOT NULL
);

-- The cluster's last switch of mode; under way while finished_at is null.
CREATE TABLE cluster_handoffs (
    cluster_id    uuid        PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    tenant_id     text        NOT NULL REFERENCES tenants (id),
    to_mode       text        NOT NULL CHECK (to_mode IN ('managed', 'unmanaged')),
    requested_by  text        NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz
);
CREATE INDEX cluster_handoffs_under_way ON cluster_handoffs (cluster_id) WHERE finished_at IS NULL;
