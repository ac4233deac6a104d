-- 005: business events (what the product counts: tickets, documents, leads) and the materialized
-- allocation that unit economics reads.

-- One row per event record (a record may count several units). outcome is lower-cased as given;
-- which outcomes count as success is decided per unit type (tokenledger.yaml units:).
CREATE TABLE event_rows (
  tl_ingestion_id VARCHAR NOT NULL,
  tl_source_row   BIGINT NOT NULL,              -- CSV: data line (header = 1); JSONL: record number
  ts              TIMESTAMP NOT NULL,           -- UTC
  unit            VARCHAR NOT NULL,
  feature         VARCHAR,
  count           BIGINT NOT NULL,
  outcome         VARCHAR,
  correlation_id  VARCHAR,
  attributes      JSON
);

CREATE TABLE event_files (
  ingestion_id VARCHAR NOT NULL,
  path         VARCHAR NOT NULL,
  checksum     VARCHAR NOT NULL,
  bytes        BIGINT NOT NULL,
  row_count    BIGINT NOT NULL,
  format       VARCHAR NOT NULL               -- csv | jsonl
);

-- The allocation of every charge (allocate/allocate.sql), kept so that reports over a year answer in
-- well under a second. One row per billing row and allocation key, both cost bases.
-- Rebuilt when the ledger's data changes (allocation_state.data_key, see allocate/materialize.ts).
CREATE TABLE alloc_rows (
  tl_ingestion_id VARCHAR NOT NULL,               -- lineage: ingestion_files gives the file of (ingestion, part)
  tl_source_part  INTEGER NOT NULL,
  tl_source_row   BIGINT,
  currency        VARCHAR,
  day             DATE,
  charge_key      UBIGINT NOT NULL,             -- alloc_charges: what the charge is (service, meter, tags)
  kind            VARCHAR NOT NULL,             -- token (split by telemetry) | other (by tags)
  method_code     TINYINT NOT NULL,             -- allocate.ts METHODS: 0 none, 1-3 telemetry level, 4-6 same via prompt tokens, 9 tags
  reason          VARCHAR,                      -- why nothing could be allocated
  feature         VARCHAR,
  team            VARCHAR,
  environment     VARCHAR,
  cost_center     VARCHAR,
  model           VARCHAR,
  token_type      VARCHAR,
  basis_tokens    BIGINT,
  basis_total     BIGINT,
  billed_cost     DECIMAL(38,18),
  effective_cost  DECIMAL(38,18),
  allocated_tokens DOUBLE
);

-- The distinct charge descriptions of alloc_rows: what cost-class and sharing rules match on.
CREATE TABLE alloc_charges (
  charge_key        UBIGINT PRIMARY KEY,
  ChargeCategory    VARCHAR,
  ServiceName       VARCHAR,
  ServiceCategory   VARCHAR,
  x_SkuMeterCategory VARCHAR,
  x_SkuMeterSubcategory VARCHAR,
  x_SkuMeterName    VARCHAR,
  ResourceId        VARCHAR,
  ResourceName      VARCHAR,
  is_ai             BOOLEAN,
  token_type        VARCHAR,
  Tags              JSON
);

-- alloc_rows summed per month: what unit economics, chargeback and variance read.
CREATE TABLE alloc_month (
  month          DATE NOT NULL,
  currency       VARCHAR,
  charge_key     UBIGINT NOT NULL,
  kind           VARCHAR NOT NULL,
  feature        VARCHAR,
  team           VARCHAR,
  environment    VARCHAR,
  cost_center    VARCHAR,
  model          VARCHAR,
  token_type     VARCHAR,
  unallocated    BOOLEAN NOT NULL,              -- reason set: billed cost nobody could claim
  billed_cost    DECIMAL(38,18),
  effective_cost DECIMAL(38,18),
  tokens         DOUBLE
);

CREATE TABLE allocation_state (
  data_key    VARCHAR NOT NULL,                 -- what the materialized allocation was computed from
  built_at    TIMESTAMP NOT NULL,
  rows        BIGINT NOT NULL,
  seconds     DOUBLE NOT NULL
);
