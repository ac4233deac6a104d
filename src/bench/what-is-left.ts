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

export const REPORTS_LEFT = `What was made cheap (measured 2026-12-06 on AMD EPYC, 2 cores, the year store; each change keeps every
figure: the report's JSON before and after compared, same bytes or the same rows where the order of ties was free):
- tag-coverage: the tags are read from the month's billing rows summed per resource and tag set (a few thousand sums,
  not 85k JSON reads), and telemetry's part from alloc_daily instead of a cross join of a million shares (0.73 -> 0.48 s).
- savings: each distinct UTC minute is put in the batch time zone once (44,640 conversions, not 860k: the batch query
  230 -> 90 ms); the usage reads the month's shares without allocationSql's joins and builds the join on the month's
  charges only (1.12 -> 0.86 s). Its rows are now in a total order (tied PTU deployments came out in any order).
- gpu: the VM size is matched per meter (the meters table: a meter key is a hash of its facts), not by two regular
  expressions per billing row; self-hosted traffic from telemetry_resource_daily (0.77 -> 0.64 s, A/B medians).
- \`charges\` (migration 021): a unit price and cost are cast to DOUBLE only for rows whose quantities do not settle the
  convention; sum(tl_tokens) over 1M rows 1.5 -> 1.1 s; token-drift 0.93 -> 0.81 s; every ingest's daily rollup reads it.
- budgets: every budget's daily series in one statement (7 fewer); reconcile: the shares summed per invoice as they are
  joined; token-kpis: the cost per feature from alloc_daily; variance: the months from alloc_daily's distinct days.

Tried and dropped: keeping the economics ledger's econ and unit_costs as temporary tables of a read-only store, for
the reports that ask for it several times (unit-economics three times): every report of it got 0.1 s slower, since
the two tables cost more to build (two statements, each planned and the events read again) than the one statement
each report ran. Grouping ptu-plan's minutes on integer ids (a hash key or a dense rank) instead of strings: slower.

Left, with what it costs (the floor of a process is about 0.25-0.3 s: node, the DuckDB library, the store opened, the
data status):
- ptu-plan: the per-minute profile of the month groups 860k telemetry_minute rows into 860k minutes (the synthetic
  telemetry has one record per minute and key, so the rollup sums nothing away): 400-500 ms in one hash aggregate.
- anomalies: the root causes by resource and meter join the period's 1.3M shares to the anomalies' days (about
  190 ms) and return 18,800 rows; the detector's fits and ranks are about 300 ms of JavaScript.
- budgets: the variance split of each month budget is a scoped economics ledger (85-135 ms each).
- The economics ledger (unit-economics, chargeback, reconcile, variance, budgets) is 90-135 ms per statement, half
  of it planning its dozens of CTEs; the exact splits' windows take most of the rest.`;
