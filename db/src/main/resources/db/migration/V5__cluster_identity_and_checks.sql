-- A registration records which cluster it is, as Kubernetes defines a cluster's identity for this purpose:
-- the uid of its kube-system namespace, read through the registered credentials when the registration is
-- checked. NULL when the checks were skipped (?validate=false) or for rows older than this migration.
ALTER TABLE clusters ADD COLUMN kube_system_uid text;

-- One live registration per cluster, whichever tenant holds it: a second registration of the same identity,
-- concurrent ones included, is refused by this index (the service answers 409 without naming the holder).
-- A deregistered cluster's row is deleted, so its identity is free again; unknown (NULL) identities never clash.
CREATE UNIQUE INDEX clusters_one_registration_per_cluster ON clusters (kube_system_uid)
    WHERE kube_system_uid IS NOT NULL;

-- How the stored API server and ECI settings were last accepted: 'passed' (checked against the API server
-- and the cloud) or 'skipped' (?validate=false). Rows older than this migration were never checked.
ALTER TABLE clusters ADD COLUMN validation text NOT NULL DEFAULT 'skipped'
    CONSTRAINT clusters_validation_known CHECK (validation IN ('passed', 'skipped'));

-- The zone of each vSwitch, comma-separated in the order of vswitch_ids, as VPC answered when the settings
-- were checked; NULL when they were not.
ALTER TABLE cluster_configs ADD COLUMN vswitch_zones text;
