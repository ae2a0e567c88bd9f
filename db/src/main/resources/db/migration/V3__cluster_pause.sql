-- Pausing a managed cluster: the service stops its engine (which leaves the node NotReady with the reason)
-- and nobody claims it until it is resumed. The ECI instances and pods are left exactly as they are.
ALTER TABLE clusters ADD COLUMN paused boolean NOT NULL DEFAULT false;

-- A cluster is claimable when it is managed and not paused; a change of either revokes any claim, so
-- the epoch bump fences out the old owner's writes at once.
CREATE OR REPLACE FUNCTION cluster_claims_follow_mode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cluster_claims (cluster_id, tenant_id, managed)
        VALUES (NEW.id, NEW.tenant_id, NEW.mode = 'managed' AND NOT NEW.paused);
    ELSIF NEW.mode IS DISTINCT FROM OLD.mode OR NEW.paused IS DISTINCT FROM OLD.paused THEN
        UPDATE cluster_claims
           SET managed = (NEW.mode = 'managed' AND NOT NEW.paused), owner = NULL, expires_at = NULL,
               epoch = epoch + 1
         WHERE cluster_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER clusters_claim_row ON clusters;
CREATE TRIGGER clusters_claim_row
    AFTER INSERT OR UPDATE OF mode, paused ON clusters
    FOR EACH ROW EXECUTE FUNCTION cluster_claims_follow_mode();
