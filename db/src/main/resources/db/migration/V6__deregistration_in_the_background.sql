-- Deregistration runs in the background and survives a restart: a cluster being deregistered carries
-- deregistering_since, and its progress lives in cluster_deregistrations until the clusters row is deleted
-- (which cascades to it). Any replica resumes it: a replica takes a due row for a while (worker,
-- worker_until), does one step, and gives it back with when to try again.
ALTER TABLE clusters ADD COLUMN deregistering_since timestamptz;

CREATE TABLE cluster_deregistrations (
    cluster_id       uuid        PRIMARY KEY REFERENCES clusters (id) ON DELETE CASCADE,
    tenant_id        text        NOT NULL REFERENCES tenants (id),
    requested_by     text        NOT NULL,
    -- Whether an engine ever ran for the cluster (its claim epoch was above zero when it was asked):
    -- one never hosted has no instance, node or Lease to remove.
    was_hosted       boolean     NOT NULL,
    keep_pods        boolean     NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    worker           text,
    worker_until     timestamptz,
    -- What the last step did or waits for, in words the owner can act on.
    progress         text,
    last_error       text,
    last_error_at    timestamptz
);
CREATE INDEX cluster_deregistrations_due ON cluster_deregistrations (next_attempt_at);

-- A cluster is claimable when it is managed, not paused and not being deregistered. One rule, asked by the
-- claim row's trigger and by Revocations (a deregistration that is called off).
DROP FUNCTION cluster_is_claimable(text, boolean);
CREATE FUNCTION cluster_is_claimable(mode text, paused boolean, deregistering_since timestamptz)
    RETURNS boolean LANGUAGE sql IMMUTABLE AS
    $$ SELECT mode = 'managed' AND NOT paused AND deregistering_since IS NULL $$;

CREATE OR REPLACE FUNCTION cluster_claims_follow_mode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cluster_claims (cluster_id, tenant_id, managed)
        VALUES (NEW.id, NEW.tenant_id, cluster_is_claimable(NEW.mode, NEW.paused, NEW.deregistering_since));
    ELSIF NEW.mode IS DISTINCT FROM OLD.mode OR NEW.paused IS DISTINCT FROM OLD.paused
          OR NEW.deregistering_since IS DISTINCT FROM OLD.deregistering_since THEN
        UPDATE cluster_claims
           SET managed = cluster_is_claimable(NEW.mode, NEW.paused, NEW.deregistering_since),
               owner = NULL, expires_at = NULL, epoch = epoch + 1
         WHERE cluster_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER clusters_claim_row ON clusters;
CREATE TRIGGER clusters_claim_row
    AFTER INSERT OR UPDATE OF mode, paused, deregistering_since ON clusters
    FOR EACH ROW EXECUTE FUNCTION cluster_claims_follow_mode();

-- The last underlying ECI failure stays visible while a circuit breaker refuses calls: its code, when it
-- was first and last seen in a row and how often, and since when a breaker has been open. current_until is
-- when the report stops being current (two hosting periods after it was written): the API then says it is
-- stale instead of showing it as the node's state.
ALTER TABLE cluster_statuses
    ADD COLUMN last_eci_error_code     text,
    ADD COLUMN last_eci_error_first_at timestamptz,
    ADD COLUMN last_eci_error_count    bigint,
    ADD COLUMN eci_circuit_open_since  timestamptz,
    ADD COLUMN current_until           timestamptz;
