-- Whether any replica may claim a cluster, in one place: the claim row's trigger (on insert, and when mode
-- or pause changes) and a deregistration that stops half-way (Revocations.restore in the service)
-- both ask this function, so the rule cannot drift between them.
CREATE FUNCTION cluster_is_claimable(mode text, paused boolean) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT mode = 'managed' AND NOT paused $$;

CREATE OR REPLACE FUNCTION cluster_claims_follow_mode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO cluster_claims (cluster_id, tenant_id, managed)
        VALUES (NEW.id, NEW.tenant_id, cluster_is_claimable(NEW.mode, NEW.paused));
    ELSIF NEW.mode IS DISTINCT FROM OLD.mode OR NEW.paused IS DISTINCT FROM OLD.paused THEN
        UPDATE cluster_claims
           SET managed = cluster_is_claimable(NEW.mode, NEW.paused), owner = NULL, expires_at = NULL,
               epoch = epoch + 1
         WHERE cluster_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
