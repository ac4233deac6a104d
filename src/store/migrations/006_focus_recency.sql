-- 006: FOCUS 1.3 Recency metadata (a provider saying how current and complete its dataset is), one row
-- per time sector. A newer file for the same dataset instance replaces the older one's rows.
CREATE TABLE focus_recency (
  dataset_instance_id  VARCHAR NOT NULL,
  source               VARCHAR NOT NULL,
  recency_last_updated TIMESTAMP,
  dataset_complete     BOOLEAN,
  sector_start         TIMESTAMP,
  sector_end           TIMESTAMP,
  sector_complete      BOOLEAN,
  sector_last_updated  TIMESTAMP,
  ingested_at          TIMESTAMP NOT NULL
);
