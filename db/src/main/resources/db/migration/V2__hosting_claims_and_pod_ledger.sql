-- Hosting of managed clusters: service replicas claim clusters through row leases in cluster_claims.
-- Times are the database's now(), never a replica's clock, so replicas need no clock agreement.

-- Replicas that are alive: each one upserts its row when it renews its claims. Fair share =
-- ceil(managed clusters / live replicas).
CREATE TABLE service_replicas (
    name        text        PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- One row per cluster, created with the cluster. A claim is held while owner is set; expires_at is when
-- others may take it over. epoch grows on every claim, so (cluster_id, epoch) names one tenure: a writer
-- that presents an older epoch lost the cluster and its writes are dropped. managed mirrors clusters.mode so
-- that the claim, the fence and a mode change all meet on this one row (and its row lock).
CREATE TABLE cluster_claims (
    cluster_id  uuid        PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    tenant_id   text        NOT NULL REFERENCES tenants (id),
    managed     boolean     NOT NULL,
    owner       text,
    epoch       bigint      NOT NULL DEFAULT 0,
    expires_at  timestamptz,
    CONSTRAINT cluster_claims_owner_has_expiry CHECK ((owner IS NULL) = (expires_at IS NULL)),
    CONSTRAINT cluster_claims_only_managed_owned CHECK (managed OR owner IS NULL)
);
-- Renewal and listing of a replica's claims.
CREATE INDEX cluster_claims_by_owner ON cluster_claims (owner) WHERE owner IS NOT NULL;
-- Claimable rows, longest orphaned first.
CREATE INDEX cluster_claims_claimable ON cluster_claims (expires_at NULLS FIRST) WHERE managed;

INSERT INTO cluster_claims (cluster_id, tenant_id, managed)
SELECT id, tenant_id, mode = 'managed' FROM clusters;

-- A new cluster gets its claim row; a mode change revokes any claim (bumping the epoch fences out the old
-- owner's writes at once) and makes the cluster claimable only when it is managed.
CREATE FUNCTION cluster_claims_follow_mode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cluster_claims (cluster_id, tenant_id, managed)
        VALUES (NEW.id, NEW.tenant_id, NEW.mode = 'managed');
    ELSIF NEW.mode IS DISTINCT FROM OLD.mode THEN
        UPDATE cluster_claims
           SET managed = (NEW.mode = 'managed'), owner = NULL, expires_at = NULL, epoch = epoch + 1
         WHERE cluster_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER clusters_claim_row
    AFTER INSERT OR UPDATE OF mode ON clusters
    FOR EACH ROW EXECUTE FUNCTION cluster_claims_follow_mode();

-- Status: the engine's ECI failures and the host's API-server failures are separate facts (both can be
-- true at once), each with its time. updated_at is when the status was last written.
ALTER TABLE cluster_statuses RENAME COLUMN last_error TO last_eci_error;
ALTER TABLE cluster_statuses RENAME COLUMN last_error_at TO last_eci_error_at;
ALTER TABLE cluster_statuses
    ADD COLUMN last_api_error    text,
    ADD COLUMN last_api_error_at timestamptz,
    ADD COLUMN updated_at        timestamptz NOT NULL DEFAULT now();

-- The pod <-> ECI instance ledger. Keyed by cluster and pod UID: a UID reported by one cluster can never
-- touch another cluster's (or tenant's) row. Rows of deleted pods stay, with deleted_at, for cost and GC.
CREATE TABLE cluster_pods (
    cluster_id   uuid        NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    tenant_id    text        NOT NULL REFERENCES tenants (id),
    pod_uid      text        NOT NULL,
    namespace    text        NOT NULL,
    name         text        NOT NULL,
    instance_id  text,
    zone         text,
    phase        text        NOT NULL CHECK (phase IN ('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown')),
    created_at   timestamptz NOT NULL,
    deleted_at   timestamptz,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, pod_uid)
);
-- Pages of a cluster's pods in (namespace, name, pod_uid) order; pod_uid breaks ties between a deleted pod
-- and its namesake.
CREATE INDEX cluster_pods_page ON cluster_pods (cluster_id, namespace, name, pod_uid);
