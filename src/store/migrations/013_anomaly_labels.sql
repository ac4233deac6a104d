-- 013: feedback on anomalies (`tokenledger anomalies label ID yes|no|planned`, AWS Cost Anomaly Detection's
-- YES / NO / PLANNED_ACTIVITY). An anomaly's ID is stable (a hash of its series and its window's first
-- day), so a label holds for that window whatever later data arrives; "no" and "planned" stop alerts on it.
CREATE TABLE anomaly_labels (
  id          VARCHAR PRIMARY KEY,
  label       VARCHAR NOT NULL,     -- yes | no | planned
  series      VARCHAR NOT NULL,     -- measure, dimension, value (and currency) the anomaly is on, for people
  window_start DATE NOT NULL,
  note        VARCHAR,
  labelled_at TIMESTAMP NOT NULL
);
