-- 012: alerts. Every event `tokenledger alerts` has emitted (one per budget, period, threshold and
-- amount; one per data-freshness state; anomalies later), so the same event is never emitted twice and
-- a changed amount or a new period re-arms it; and the outbox of webhook deliveries, so a failed
-- delivery is retried with backoff on the next run and never lost.
CREATE TABLE alert_events (
  event_id      VARCHAR NOT NULL,             -- hash of what makes the event itself (alerts/events.ts eventId)
  kind          VARCHAR NOT NULL,             -- budget | freshness | anomaly
  severity      VARCHAR NOT NULL,             -- warning | breach
  subject       VARCHAR NOT NULL,             -- the budget's name, 'data', an anomaly id
  period        VARCHAR,                      -- the budget period's label
  title         VARCHAR NOT NULL,
  payload       JSON NOT NULL,                -- the event as delivered (alerts/payloads.ts json)
  emitted_at    TIMESTAMP NOT NULL
);

CREATE TABLE alert_outbox (
  event_id        VARCHAR NOT NULL,
  url             VARCHAR NOT NULL,
  format          VARCHAR NOT NULL,           -- slack | teams | json
  status          VARCHAR NOT NULL,           -- pending | sent
  attempts        INTEGER NOT NULL,
  next_attempt_at TIMESTAMP NOT NULL,
  last_error      VARCHAR,
  sent_at         TIMESTAMP
);
