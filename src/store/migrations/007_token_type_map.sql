-- 007: which telemetry token type can explain which billed token type. "prompt" tokens (sources without
-- the cache split) stand for every input type. Read by allocation and by explain.
CREATE VIEW token_type_map(tel_type, bill_type) AS
VALUES ('input', 'input'), ('cached_input', 'cached_input'), ('cache_write', 'cache_write'), ('output', 'output'),
       ('prompt', 'input'), ('prompt', 'cached_input'), ('prompt', 'cache_write');
