/**
 * `tokenledger export model --out DIR`: the ledger as a star schema for Power BI and other BI tools, as
 * Parquet and CSV. Facts: costs (billing rows), allocations (every share), usage (telemetry per day and
 * key), events (business events per day and key). Dimensions: date, feature, team, model, resource.
 * Natural keys (the names themselves) join facts to dimensions; README.md in DIR lists the relationships.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Ledger } from '../ledger/ledger.js';
import { TokenledgerError } from '../domain/errors.js';

const TABLES: Record<string, { sql: string; about: string }> = {
  dim_date: {
    about: 'one row per day with any cost, usage or event: date, year, month (YYYY-MM), day of week',
    sql: `SELECT d AS date, year(d) AS year, strftime(d, '%Y-%m') AS month, dayname(d) AS day_of_week FROM (
      SELECT DISTINCT CAST(ChargePeriodStart AS DATE) AS d FROM billing_rows UNION SELECT DISTINCT CAST(ts AS DATE) FROM telemetry_rows
      UNION SELECT DISTINCT CAST(ts AS DATE) FROM event_rows) ORDER BY d`,
  },
  dim_feature: {
    about: 'every feature named by allocation, telemetry or events',
    sql: `SELECT DISTINCT feature FROM (SELECT feature FROM alloc_rows UNION SELECT feature FROM telemetry_rows UNION SELECT feature FROM event_rows) WHERE feature IS NOT NULL ORDER BY 1`,
  },
  dim_team: {
    about: 'every team named by allocation or telemetry',
    sql: `SELECT DISTINCT team FROM (SELECT team FROM alloc_rows UNION SELECT team FROM telemetry_rows) WHERE team IS NOT NULL ORDER BY 1`,
  },
  dim_model: {
    about: 'every model billed or seen in telemetry, with the token types billed',
    sql: `SELECT model, list(DISTINCT token_type ORDER BY token_type) FILTER (WHERE token_type IS NOT NULL) AS token_types FROM (
      SELECT tl_model AS model, tl_token_type AS token_type FROM charges WHERE tl_model IS NOT NULL
      UNION ALL SELECT model, NULL FROM telemetry_rows WHERE model IS NOT NULL) GROUP BY model ORDER BY model`,
  },
  dim_resource: {
    about: 'every billed resource (lower-case ResourceId) with its name, service, region and sub account',
    sql: `SELECT lower(ResourceId) AS resource_id, any_value(ResourceName) AS resource_name, any_value(ServiceName) AS service_name,
      any_value(ServiceCategory) AS service_category, any_value(RegionId) AS region, any_value(SubAccountName) AS sub_account
      FROM billing_rows WHERE ResourceId IS NOT NULL GROUP BY 1 ORDER BY 1`,
  },
  fact_costs: {
    about: 'one row per billing row: date, resource_id, model, token type, meter, charge category, currency, BilledCost, EffectiveCost, tokens, and the source file and row',
    sql: `SELECT CAST(ChargePeriodStart AS DATE) AS date, strftime(BillingPeriodStart, '%Y-%m') AS billing_period, lower(ResourceId) AS resource_id,
      tl_model AS model, tl_token_type AS token_type, x_SkuMeterName AS meter, ServiceName AS service_name, ChargeCategory AS charge_category,
      ChargeClass AS charge_class, InvoiceId AS invoice_id, BillingCurrency AS currency, BilledCost AS billed_cost, EffectiveCost AS effective_cost,
      tl_tokens AS tokens, tl_source_file AS source_file, tl_source_row AS source_row FROM charges ORDER BY date, source_file, source_row`,
  },
  fact_allocations: {
    about: 'one row per allocation share: date, feature, team, environment, cost center, model, token type, currency, billed and effective cost, tokens, method, and the billing row it comes from',
    sql: `SELECT a.day AS date, a.feature, a.team, a.environment, a.cost_center, a.model, a.token_type, a.currency, a.billed_cost, a.effective_cost,
      a.allocated_tokens AS tokens, a.kind, a.method_code, a.reason, f.path AS source_file, a.tl_source_row AS source_row
      FROM alloc_rows a LEFT JOIN ingestion_files f ON f.ingestion_id = a.tl_ingestion_id AND f.part = a.tl_source_part ORDER BY date, source_file, source_row`,
  },
  fact_usage: {
    about: 'telemetry per day, resource, model, feature, team, environment: requests and tokens (input includes cached; output includes reasoning)',
    sql: `SELECT CAST(ts AS DATE) AS date, resource_id, model, feature, team, environment, cost_center, sum(requests) AS requests,
      sum(input_tokens) AS input_tokens, sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_tokens) AS cache_write_tokens,
      sum(output_tokens) AS output_tokens, sum(reasoning_tokens) AS reasoning_tokens FROM telemetry_rows GROUP BY ALL ORDER BY ALL`,
  },
  fact_events: {
    about: 'business events per day, unit type, feature and outcome: units and records',
    sql: `SELECT CAST(ts AS DATE) AS date, unit, feature, outcome, sum(count) AS units, count(*) AS records FROM event_rows GROUP BY ALL ORDER BY ALL`,
  },
};

export async function exportModel(ledger: Ledger, out: string): Promise<{ table: string; rows: number }[]> {
  const dir = resolve(out);
  try {
    mkdirSync(join(dir, 'parquet'), { recursive: true });
    mkdirSync(join(dir, 'csv'), { recursive: true });
  } catch (e) {
    throw new TokenledgerError(`--out ${out}: cannot create the folder (${(e as Error).message})`, { hint: 'Choose a folder you can write to.' });
  }
  const written: { table: string; rows: number }[] = [];
  for (const [name, t] of Object.entries(TABLES)) {
    await ledger.copy(t.sql, join(dir, 'parquet', `${name}.parquet`), 'parquet');
    await ledger.copy(t.sql, join(dir, 'csv', `${name}.csv`), 'csv');
    const [{ n }] = (await ledger.query<{ n: string }>(`SELECT count(*) AS n FROM (${t.sql})`)) as [{ n: string }];
    written.push({ table: name, rows: Number(n) });
  }
  writeFileSync(join(dir, 'README.md'), `# tokenledger star schema

Written by \`tokenledger export model\`. Each table is in \`parquet/\` and \`csv/\`. Money is exact decimal
(DECIMAL(38,18) in Parquet); never add amounts of different \`currency\`.

| table | rows | what |
|---|---:|---|
${written.map((w) => `| ${w.table} | ${w.rows} | ${TABLES[w.table]!.about} |`).join('\n')}

Relationships (many-to-one, from facts to dimensions):

- \`fact_*.date\` -> \`dim_date.date\`
- \`fact_allocations.feature\`, \`fact_usage.feature\`, \`fact_events.feature\` -> \`dim_feature.feature\`
- \`fact_allocations.team\`, \`fact_usage.team\` -> \`dim_team.team\`
- \`fact_costs.model\`, \`fact_allocations.model\`, \`fact_usage.model\` -> \`dim_model.model\`
- \`fact_costs.resource_id\`, \`fact_usage.resource_id\` -> \`dim_resource.resource_id\`

Power BI: Get data > Folder (or Parquet) on \`parquet/\`, load every table, then create the relationships above
in Model view (single direction, dimension to fact). Cost per unit = sum of fact_allocations.effective_cost of a
unit's features / sum of fact_events.units. \`fact_allocations\` rows with a NULL feature are \`__unallocated__\`;
\`source_file\` and \`source_row\` trace every cost to the export line it came from.
`);
  return written;
}
