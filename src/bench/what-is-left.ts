/**
 * Where the time of telemetry ingest and of the allocation goes, as measured by hand with TOKENLEDGER_TRACE=1 and
 * DuckDB's profiler (docs/benchmarks.md prints these under their sections). Written down so that the next person
 * starts from the measurements, not from a guess; the date says when they were true.
 */

export const TELEMETRY_LEFT = `Where the time goes (measured 2026-12-03 on AMD EPYC, 2 cores, the 10M-record usage log;
TOKENLEDGER_TRACE=1):
- The INSERT into the request rows: 20.5 s of the 25.0 s. It is one pass: read_json with the reader's columns (the
  dozen usage paths of the usage shapes it reads, metadata and attributes as maps), the
  validation and normalization projections, and the write. On 2M records, by DuckDB's profiler: read_json 2.17 s of
  CPU (plain DuckDB's read_json of the same file, every field: 1.69 s), the projections 1.8 s, the write 0.83 s
  (plain: 0.69 s).
- The three rollups (telemetry_minute 1.39 s, telemetry_daily 1.01 s, telemetry_resource_daily 0.86 s), built in the
  ingest's transaction so that they commit with the rows (migration 019, added after the 2026-11-23 run, which
  measured 18.33 s without them). Each scans the uncommitted rows, which DuckDB reads about half as fast as
  committed ones. One scan with GROUPING SETS for all three took as long as the three (472 against 447 ms on 2M
  committed records); a finer common intermediate keeps half the rows (1.02M of 2M) and does not pay either.
- Detection, model and resource mapping (reads of the first records), numbering and commit: about 0.6 s.`;

export const ALLOCATION_LEFT = `Where the time goes (measured 2026-12-03 on AMD EPYC, 2 cores; TOKENLEDGER_TRACE=1 and
DuckDB's profiler):
- Of 47.1 s (a traced run): the split into alloc_rows 37.7 s (12.1M shares; the same SELECT into a temporary table
  29.1 s, so about 8.6 s is writing the shares to the store), the monthly sums 4.7 s, the daily sums 2.1 s, the
  report itself 1.1 s, the charges 0.25 s.
- Inside the split, by CPU (56.7 s on 2 threads): the telemetry summed per day, resource, model, token type and
  allocation key 8.9 s (the token records of 10.3M requests into 14.8M groups: the synthetic telemetry has about 40
  requests per day, resource and model, over 20 feature and team pairs, so little sums away); the join of the shares
  to each row's sums (by rk) 6.7 s and of the billing rows to their telemetry groups 4.8 s; two scans each of the
  materialized shares and telemetry groups 9.4 s; the billing rows through the \`charges\` view about 4 s.
- Numbering the billing rows with \`row_number() OVER ()\` ran on one thread and carried every column through the
  window; the (ingestion, part) ordinal times 2^40 plus the row's number in its part replaced it (58.83 s on
  2026-11-23 on the same machine type, before it and before migration 020).
- What would make it cheap, not done: the per-key telemetry sums kept at ingest as a rollup (the allocation would
  read the 14.8M sums instead of summing every token record), and the monthly and daily sums built from the shares
  in the same pass instead of two more scans of alloc_rows.`;
