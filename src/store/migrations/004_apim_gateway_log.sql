-- 004: APIM gateway request logs (ApiManagementGatewayLogs), kept to enrich APIM LLM log rows
-- (ApiManagementGatewayLlmLog) joined on CorrelationId: subscription, API, backend, cache, response code.
CREATE TABLE apim_gateway_log (
  tl_ingestion_id VARCHAR NOT NULL,
  correlation_id  VARCHAR NOT NULL,
  ts              TIMESTAMP,
  subscription_id VARCHAR,
  api_id          VARCHAR,
  operation_id    VARCHAR,
  backend_id      VARCHAR,
  cache           VARCHAR,
  response_code   VARCHAR
);
