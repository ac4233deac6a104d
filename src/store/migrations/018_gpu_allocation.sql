-- 018: GPU-seconds as an allocation basis (allocate/allocate.sql). A GPU sample keeps the feature, team,
-- environment and cost center its pod maps to (tokenledger.yaml `capacity.jobs`, applied at ingest as the
-- telemetry mapping is; NULL: the VM's tags decide), and an allocation share keeps the job it was measured
-- for (namespace/pod; NULL for shares of other bases).
ALTER TABLE gpu_samples ADD COLUMN feature VARCHAR;
ALTER TABLE gpu_samples ADD COLUMN team VARCHAR;
ALTER TABLE gpu_samples ADD COLUMN environment VARCHAR;
ALTER TABLE gpu_samples ADD COLUMN cost_center VARCHAR;
ALTER TABLE alloc_rows ADD COLUMN job VARCHAR;
