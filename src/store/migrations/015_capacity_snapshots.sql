-- 015: capacity snapshots (`tokenledger ingest capacity`): what limits, reservations and utilization looked
-- like at a capture time. Quota is not capacity: quota_snapshots hold limits (compute vCPU families, Microsoft.Quota,
-- Azure OpenAI TPM / RPM, already in units: thousands of TPM multiplied out), capacity_reservations and
-- ai_model_capacity what the region holds for the subscription, gpu_samples and minute_metrics what was used.
-- Every row keeps its ingestion and its source line (JSON: the line its record starts on). subscription_id and
-- region are NULL when neither the file nor the command said (kept, reported as unknown).
CREATE TABLE capacity_files (
  ingestion_id    VARCHAR NOT NULL,
  path            VARCHAR NOT NULL,
  checksum        VARCHAR NOT NULL,
  bytes           BIGINT NOT NULL,
  row_count       BIGINT NOT NULL,
  format          VARCHAR NOT NULL,
  captured_at     TIMESTAMP NOT NULL,
  captured_from   VARCHAR NOT NULL,   -- file (timestamps in the content) | as-of (--as-of) | mtime (the file's modification time)
  subscription_id VARCHAR,
  region          VARCHAR
);

CREATE TABLE quota_snapshots (
  tl_ingestion_id VARCHAR NOT NULL,
  tl_source_line  BIGINT NOT NULL,
  captured_at     TIMESTAMP NOT NULL,
  provider        VARCHAR NOT NULL,   -- compute | quota (Microsoft.Quota) | openai (Cognitive Services)
  subscription_id VARCHAR,
  region          VARCHAR,
  name            VARCHAR NOT NULL,   -- as the file spells it: standardNDSH100v5Family, OpenAI.GlobalStandard.gpt-4o
  name_key        VARCHAR NOT NULL,   -- lower case without spaces, underscores or hyphens: what names are matched by
  display_name    VARCHAR,
  measure         VARCHAR NOT NULL,   -- vcpus | tpm | rpm | ptu | count
  deployment_type VARCHAR,            -- openai: GlobalStandard, Standard, ProvisionedManaged...
  model           VARCHAR,            -- openai: the model the quota is for
  current_value   DECIMAL(38,6),      -- NULL: a limits-only file (Microsoft.Quota quotas)
  limit_value     DECIMAL(38,6),      -- NULL: a usages-only file
  unit            VARCHAR,
  quota_applicable BOOLEAN
);

CREATE TABLE quota_group_limits (
  tl_ingestion_id VARCHAR NOT NULL,
  tl_source_line  BIGINT NOT NULL,
  captured_at     TIMESTAMP NOT NULL,
  group_name      VARCHAR,
  region          VARCHAR,
  name            VARCHAR NOT NULL,
  name_key        VARCHAR NOT NULL,
  group_limit     DECIMAL(38,6),
  available_limit DECIMAL(38,6),
  subscription_id VARCHAR,            -- one row per allocation; NULL when the group allocates to none
  quota_allocated DECIMAL(38,6)
);

CREATE TABLE capacity_reservations (
  tl_ingestion_id  VARCHAR NOT NULL,
  tl_source_line   BIGINT NOT NULL,
  captured_at      TIMESTAMP NOT NULL,
  subscription_id  VARCHAR,
  region           VARCHAR,
  group_name       VARCHAR,
  name             VARCHAR NOT NULL,
  sku_name         VARCHAR NOT NULL,  -- Standard_NC24ads_A100_v4
  sku_key          VARCHAR NOT NULL,  -- nc24adsa100v4: matches the billing export's meter name
  zones            VARCHAR,
  reserved         INTEGER NOT NULL,  -- sku.capacity
  current_capacity INTEGER,           -- instanceView.utilizationInfo.currentCapacity
  allocated_vms    INTEGER NOT NULL,
  vm_ids           VARCHAR[] NOT NULL
);

CREATE TABLE ai_model_capacity (
  tl_ingestion_id    VARCHAR NOT NULL,
  tl_source_line     BIGINT NOT NULL,
  captured_at        TIMESTAMP NOT NULL,
  subscription_id    VARCHAR,
  region             VARCHAR,
  model_format       VARCHAR,
  model_name         VARCHAR NOT NULL,
  model_version      VARCHAR,
  sku_name           VARCHAR NOT NULL,
  available_capacity DECIMAL(38,6) NOT NULL
);

CREATE TABLE ai_deployments (
  tl_ingestion_id VARCHAR NOT NULL,
  tl_source_line  BIGINT NOT NULL,
  captured_at     TIMESTAMP NOT NULL,
  subscription_id VARCHAR,
  region          VARCHAR,
  account         VARCHAR,
  deployment      VARCHAR NOT NULL,
  model_name      VARCHAR,
  model_version   VARCHAR,
  sku_name        VARCHAR NOT NULL,   -- GlobalStandard, ProvisionedManaged...
  capacity        DECIMAL(38,6) NOT NULL  -- standard: units of 1,000 TPM; provisioned: PTUs
);

CREATE TABLE gpu_samples (
  tl_ingestion_id VARCHAR NOT NULL,
  tl_source_line  BIGINT NOT NULL,
  ts              TIMESTAMP NOT NULL,
  hostname        VARCHAR,
  gpu             VARCHAR,            -- index on the host
  uuid            VARCHAR,
  gpu_model       VARCHAR,
  pod             VARCHAR,            -- NULL: nothing scheduled on the GPU
  namespace       VARCHAR,
  container       VARCHAR,
  metric          VARCHAR NOT NULL,   -- engine_active (0-1) | gpu_util (percent) | fb_used (MiB)
  value           DECIMAL(38,9) NOT NULL
);

CREATE TABLE minute_metrics (
  tl_ingestion_id VARCHAR NOT NULL,
  tl_source_line  BIGINT NOT NULL,
  ts              TIMESTAMP NOT NULL,
  subscription_id VARCHAR,
  region          VARCHAR,
  resource        VARCHAR,            -- the Azure OpenAI account
  deployment      VARCHAR,
  model           VARCHAR,
  metric          VARCHAR NOT NULL,   -- requests | ptu_utilization (percent)
  status_code     VARCHAR,
  value           DECIMAL(38,6) NOT NULL
);
