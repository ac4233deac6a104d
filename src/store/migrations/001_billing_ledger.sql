-- 001: the billing ledger. FOCUS rows with lineage, the ingestion log, the meters and what each means
-- (AI classification), and the view `charges` that joins them and derives tokens per row.
-- Columns named as in FOCUS keep FOCUS's meaning; tl_ columns are tokenledger's own (lineage, derived).

CREATE TABLE ingestions (
  ingestion_id        VARCHAR PRIMARY KEY,
  kind                VARCHAR NOT NULL,          -- 'focus'
  source              VARCHAR NOT NULL,          -- the file or export folder given
  checksum            VARCHAR NOT NULL,          -- sha256 of the file, or of the parts' checksums in order
  file_count          INTEGER NOT NULL,
  row_count           BIGINT NOT NULL,
  scope_key           VARCHAR NOT NULL,          -- what a newer export replaces: manifest scope, or account + file name
  billing_account_ids VARCHAR[] NOT NULL,
  billing_periods     DATE[] NOT NULL,           -- BillingPeriodStart values present
  currencies          VARCHAR[] NOT NULL,
  focus_version       VARCHAR NOT NULL,
  missing_spec_columns VARCHAR[] NOT NULL,
  export_name         VARCHAR,
  run_id              VARCHAR,
  export_time         TIMESTAMP,                 -- manifest submittedTime, else file modification time
  ingested_at         TIMESTAMP NOT NULL,
  status              VARCHAR NOT NULL           -- active | partially_replaced | replaced
);

CREATE TABLE ingestion_files (
  ingestion_id VARCHAR NOT NULL,
  part         INTEGER NOT NULL,
  path         VARCHAR NOT NULL,
  checksum     VARCHAR NOT NULL,
  bytes        BIGINT NOT NULL,
  row_count    BIGINT NOT NULL,
  extra_columns VARCHAR[] NOT NULL,             -- names of the file's columns kept in tl_extra_values
  rows_numbered BOOLEAN NOT NULL                -- tl_source_row set (CSV rows are numbered after commit)
);

-- Everything ingest did or refused to do: ingested, replaced (rows of an older ingestion removed),
-- skipped (same export again, or older than what the store has).
CREATE TABLE ingestion_events (
  event_time   TIMESTAMP NOT NULL,
  action       VARCHAR NOT NULL,
  ingestion_id VARCHAR,
  source       VARCHAR NOT NULL,
  row_count    BIGINT,
  detail       VARCHAR
);

CREATE TABLE billing_rows (
  tl_ingestion_id   VARCHAR NOT NULL,
  tl_source_file    VARCHAR NOT NULL,
  tl_source_part    INTEGER NOT NULL,
  tl_source_row     BIGINT NOT NULL,              -- 1-based data row in its file (line = row + 1 in plain CSV)
  tl_ingested_at    TIMESTAMP NOT NULL,

  BilledCost                  DECIMAL(38,18),
  EffectiveCost               DECIMAL(38,18),
  ListCost                    DECIMAL(38,18),
  ContractedCost              DECIMAL(38,18),
  ListUnitPrice               DECIMAL(38,18),
  ContractedUnitPrice         DECIMAL(38,18),
  ConsumedQuantity            DECIMAL(38,18),
  PricingQuantity             DECIMAL(38,18),
  CommitmentDiscountQuantity  DECIMAL(38,18),
  x_BilledUnitPrice           DECIMAL(38,18),
  x_EffectiveUnitPrice        DECIMAL(38,18),
  x_PricingBlockSize          DECIMAL(38,18),
  x_BillingExchangeRate       DECIMAL(38,18),

  BillingPeriodStart  TIMESTAMP,
  BillingPeriodEnd    TIMESTAMP,
  ChargePeriodStart   TIMESTAMP,
  ChargePeriodEnd     TIMESTAMP,

  BillingAccountId VARCHAR, BillingAccountName VARCHAR, BillingAccountType VARCHAR, BillingCurrency VARCHAR,
  ChargeCategory VARCHAR, ChargeClass VARCHAR, ChargeDescription VARCHAR, ChargeFrequency VARCHAR,
  CommitmentDiscountCategory VARCHAR, CommitmentDiscountId VARCHAR, CommitmentDiscountName VARCHAR,
  CommitmentDiscountStatus VARCHAR, CommitmentDiscountType VARCHAR, ConsumedUnit VARCHAR,
  InvoiceId VARCHAR, InvoiceIssuerName VARCHAR, PricingCategory VARCHAR, PricingUnit VARCHAR,
  PricingCurrency VARCHAR, ProviderName VARCHAR, PublisherName VARCHAR, ServiceProviderName VARCHAR,
  HostProviderName VARCHAR, RegionId VARCHAR, RegionName VARCHAR, ResourceId VARCHAR, ResourceName VARCHAR,
  ResourceType VARCHAR, ServiceCategory VARCHAR, ServiceSubcategory VARCHAR, ServiceName VARCHAR,
  SkuId VARCHAR, SkuMeter VARCHAR, SkuPriceId VARCHAR, SkuPriceDetails VARCHAR, SubAccountId VARCHAR,
  SubAccountName VARCHAR, SubAccountType VARCHAR, x_SkuMeterCategory VARCHAR, x_SkuMeterSubcategory VARCHAR,
  x_SkuMeterName VARCHAR, x_PricingUnitDescription VARCHAR, x_ResourceGroupName VARCHAR,
  x_CostCenter VARCHAR, x_InvoiceSectionName VARCHAR, x_SkuDescription VARCHAR, x_UsageType VARCHAR,

  Tags      JSON,                                 -- always a JSON object (or NULL)
  tl_extra_values VARCHAR[],                      -- every other column of the file, original text, lossless;
                                                  -- names in ingestion_files.extra_columns (view billing_rows_extra)

  tl_meter_key      UBIGINT NOT NULL,             -- the row's meter (meters.meter_key)
  tl_source_changes VARCHAR[] NOT NULL            -- repairs made at ingest, per row (x_SourceChanges)
);

-- The columns a file had beyond the typed ones, as a MAP per row (name -> original text).
CREATE VIEW billing_rows_extra AS
SELECT b.tl_ingestion_id, b.tl_source_file, b.tl_source_part, b.tl_source_row,
       map(f.extra_columns, b.tl_extra_values) AS extra
FROM billing_rows b
JOIN ingestion_files f ON f.ingestion_id = b.tl_ingestion_id AND f.part = b.tl_source_part;

-- One row per distinct meter (the facts classification reads), with what the AI meter rules made of it.
-- Classification is per meter, not per row: new rules re-classify meters without touching billing rows.
CREATE TABLE meters (
  meter_key            UBIGINT PRIMARY KEY,
  provider             VARCHAR,
  ServiceName          VARCHAR,
  ServiceCategory      VARCHAR,
  ServiceSubcategory   VARCHAR,
  x_SkuMeterCategory   VARCHAR,
  x_SkuMeterSubcategory VARCHAR,
  x_SkuMeterName       VARCHAR,
  SkuMeter             VARCHAR,
  SkuPriceDetails      VARCHAR,
  x_UsageType          VARCHAR,
  PricingUnit          VARCHAR,
  x_PricingUnitDescription VARCHAR,
  x_PricingBlockSize   VARCHAR,
  ConsumedUnit         VARCHAR,
  is_ai                BOOLEAN NOT NULL,
  unclassified         BOOLEAN NOT NULL,
  reason               VARCHAR,
  model                VARCHAR,
  model_version        VARCHAR,
  token_type           VARCHAR,
  tier                 VARCHAR,
  scope                VARCHAR,
  rule_id              VARCHAR,
  block_size           BIGINT NOT NULL,
  rules_digest         VARCHAR NOT NULL,          -- the rules that classified it (re-classified when they change)
  classified_at        TIMESTAMP NOT NULL
);
