/**
 * `tokenledger export model --out DIR`: the ledger as a star schema for Power BI and other BI tools, as
 * Parquet and CSV. Facts: costs (billing rows), allocations (every share), usage (telemetry per day and
 * key), events (business events per day and key). Dimensions: date, feature, team, model, resource.
 * With the ledger's economics config (tokenledger.yaml units, cost classes, sharing), the unit economics:
 * fact_unit_costs (the economics ledger's unit costs, shared pools included, in both cost bases) and
 * fact_units (units and successful units per month and unit type), with dim_month and dim_unit, from
 * which a BI tool reproduces `report unit-economics` to the last digit.
 * Natural keys (the names themselves) join facts to dimensions; README.md in DIR lists the relationships.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EconomicsConfig } from '../config/economics.js';
import type { CostBasis } from '../domain/cost-basis.js';
import { parsePeriod } from '../domain/period.js';
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, ident, join as joinSql, sql, type Sql } from '../store/sql.js';
import { FORMULA_START_RE2 } from '../domain/csv-guard.js';
import { TokenledgerError } from '../domain/errors.js';

const UNIT_COSTS_SQL = loadSql(import.meta.url, 'model-units.sql');

interface Table { sql: string | Sql; about: string }

const TABLES: Record<string, Table> = {
  dim_date: {
    about: 'one row per day with any cost, usage or event: date, year, month (YYYY-MM), day of week',
    sql: `SELECT d AS date, year(d) AS year, strftime(d, '%Y-%m') AS month, dayname(d) AS day_of_week FROM (
      SELECT DISTINCT CAST(ChargePeriodStart AS DATE) AS d FROM billing_rows UNION SELECT DISTINCT CAST(ts AS DATE) FROM telemetry_rows
      UNION SELECT DISTINCT CAST(ts AS DATE) FROM event_rows) ORDER BY d`,
  },
  dim_feature: {
    about: 'every feature named by allocation, telemetry or events',
    sql: `SELECT DISTINCT feature FROM (SELECT feature FROM alloc_daily UNION SELECT feature FROM telemetry_rows UNION SELECT feature ` +
      `FROM event_rows) WHERE feature IS NOT NULL ORDER BY 1`,
  },
  dim_team: {
    about: 'every team named by allocation or telemetry',
    sql: `SELECT DISTINCT team FROM (SELECT team FROM alloc_daily UNION SELECT team FROM telemetry_rows) WHERE team IS NOT NULL ORDER BY 1`,
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
    about: 'one row per billing row: date, resource_id, model, token type, meter, charge category, currency, BilledCost, EffectiveCost, ' +
      'tokens, and the source file and row',
    sql: `SELECT CAST(ChargePeriodStart AS DATE) AS date, strftime(BillingPeriodStart, '%Y-%m') AS billing_period, ` +
    `lower(ResourceId) AS resource_id,
      tl_model AS model, tl_token_type AS token_type, x_SkuMeterName AS meter, ServiceName AS service_name, ` +
      `ChargeCategory AS charge_category,
      ChargeClass AS charge_class, InvoiceId AS invoice_id, BillingCurrency AS currency, BilledCost AS billed_cost, ` +
      `EffectiveCost AS effective_cost,
      tl_tokens AS tokens, tl_source_file AS source_file, tl_source_row AS source_row FROM charges ORDER BY date, source_file, source_row`,
  },
  fact_allocations: {
    about: 'one row per allocation share: date, feature, team, environment, cost center, model, token type, currency, billed and ' +
      'effective cost, tokens, method, and the billing row it comes from',
    sql: `SELECT a.day AS date, a.feature, a.team, a.environment, a.cost_center, a.model, a.token_type, a.currency, a.billed_cost, ` +
    `a.effective_cost,
      a.allocated_tokens AS tokens, a.kind, a.method_code, a.reason, f.path AS source_file, a.tl_source_row AS source_row
      FROM alloc_rows a LEFT JOIN ingestion_files f ON f.ingestion_id = a.tl_ingestion_id AND f.part = a.tl_source_part ORDER BY date, ` +
      `source_file, source_row`,
  },
  fact_usage: {
    about: 'telemetry per day, resource, model, feature, team, environment: requests and tokens (input includes cached; output includes ' +
      'reasoning)',
    sql: `SELECT CAST(ts AS DATE) AS date, resource_id, model, feature, team, environment, cost_center, sum(requests) AS requests,
      sum(input_tokens) AS input_tokens, sum(cached_input_tokens) AS cached_input_tokens, sum(cache_write_tokens) AS cache_write_tokens,
      sum(output_tokens) AS output_tokens, sum(reasoning_tokens) AS reasoning_tokens FROM telemetry_rows GROUP BY ALL ORDER BY ALL`,
  },
  fact_events: {
    about: 'business events per day, unit type, feature and outcome: units and records',
    sql: `SELECT CAST(ts AS DATE) AS date, unit, feature, outcome, sum(count) AS units, count(*) AS records FROM event_rows GROUP BY ALL ` +
      `ORDER BY ALL`,
  },
};

const ALL = parsePeriod({});

/** tokenledger.yaml units as rows (unit, features, success outcomes, description), values as parameters. */
function configuredUnits(cfg: EconomicsConfig | undefined): Sql {
  const strings = (xs: string[]) => sql`[${joinSql(xs.map((x) => sql`${x}`), ', ')}]::VARCHAR[]`;
  const rows = Object.entries(cfg?.units ?? {}).map(([name, u]) =>
    sql`(${name.toLowerCase()}, ${strings(u.features)}, ${u.success ? strings(u.success.map((o) => o.toLowerCase()))
      : code('NULL::VARCHAR[]')}, ${u.description ?? null}::VARCHAR)`);
  return rows.length ? sql`VALUES ${joinSql(rows, ', ')}`
    : code('SELECT NULL::VARCHAR, NULL::VARCHAR[], NULL::VARCHAR[], NULL::VARCHAR WHERE false');
}

/** The unit economics tables: what `report unit-economics` computes, at a grain a BI tool can sum. */
function unitTables(l: Ledger): Record<string, Table> {
  const cfg = l.economicsConfig;
  const ledger = (costBasis: CostBasis) => l.economics(ALL, costBasis);
  const basis = (b: CostBasis) => sql`SELECT ${b} AS basis, * FROM (${joinSql([ledger(b), code(UNIT_COSTS_SQL)], '\n')})`;
  return {
    dim_month: {
      about: 'one row per month of dim_date: month (YYYY-MM), month_start, year',
      sql: `SELECT DISTINCT month, CAST(month || '-01' AS DATE) AS month_start, year FROM (${TABLES.dim_date!.sql as string}) ` +
        `ORDER BY month`,
    },
    dim_unit: {
      about: 'every unit type configured or named by events: features (configured, else those its events name), success_outcomes, ' +
        'description',
      sql: sql`WITH cfg(unit, features, success_outcomes, description) AS (${configuredUnits(cfg)})
        SELECT u.unit, coalesce(c.features, (SELECT list(DISTINCT e.feature ORDER BY e.feature) FILTER (WHERE e.feature IS NOT NULL)
          FROM event_rows e WHERE e.unit = u.unit)) AS features,
          coalesce(c.success_outcomes, ['success']) AS success_outcomes, c.description
        FROM (SELECT DISTINCT unit FROM event_rows UNION SELECT unit FROM cfg) u LEFT JOIN cfg c USING (unit) ORDER BY u.unit`,
    },
    fact_unit_costs: {
      about: 'one row per month, currency, unit type, feature, team, cost class and source (direct / shared): effective_cost, ' +
        'billed_cost, input and output tokens',
      sql: sql`SELECT month, currency, unit, feature, team, cost_class, source,
          coalesce(sum(cost) FILTER (WHERE basis = 'effective'), 0) AS effective_cost,
          coalesce(sum(cost) FILTER (WHERE basis = 'billed'), 0) AS billed_cost,
          coalesce(sum(input_tokens) FILTER (WHERE basis = 'effective'), 0) AS input_tokens,
          coalesce(sum(output_tokens) FILTER (WHERE basis = 'effective'), 0) AS output_tokens
        FROM (${basis('effective')} UNION ALL BY NAME ${basis('billed')}) GROUP BY ALL ORDER BY ALL`,
    },
    fact_units: {
      about: 'one row per month and unit type: units, successful units (tokenledger.yaml units.<name>.success, default outcome success), ' +
        'event records',
      sql: joinSql([ledger('effective'), code(`
        SELECT strftime(month, '%Y-%m') AS month, unit, CAST(sum(units) AS BIGINT) AS units, CAST(sum(ok_units) AS BIGINT) AS ok_units,
          CAST(sum(records) AS BIGINT) AS records FROM ev GROUP BY ALL ORDER BY ALL`)], '\n'),
    },
  };
}

const UNIT_README = `## Unit economics: fact_unit_costs, fact_units

\`fact_unit_costs\` is the economics ledger of \`report unit-economics\`: each feature's cost (direct, and the
shared platform / overhead pools the sharing rules spread to it) split over the unit types that claim the
feature, then over the feature's teams. Grain: month, currency, unit, feature, team, cost_class
(token / gpu / platform / overhead / other), source (\`direct\` or \`shared\`). Both bases are there:
\`effective_cost\` (amortized, the report default) and \`billed_cost\` (\`--cost billed\`); use one, never
their sum. \`team\` is NULL on shared rows (chargeback gives shared cost to teams by their direct cost).
\`input_tokens\` / \`output_tokens\` are the token counts of the direct token cost on the row.
Cost that lands on no unit is not in it: features no unit type claims, shared cost no rule spread
(\`unshared\`) and unallocated cost; \`report unit-economics\` lists them in its notes, and
\`fact_allocations\` holds every cent.

\`fact_units\`: one row per month and unit: \`units\` (sum of event counts), \`ok_units\` (successful units:
outcomes in tokenledger.yaml \`units.<name>.success\`, default outcome \`success\`), \`records\`.

Per month, unit and currency, in one basis (as \`report unit-economics\` computes them):

- cost per unit = SUM(fact_unit_costs.effective_cost) / SUM(fact_units.units)
- cost per successful unit = SUM(fact_unit_costs.effective_cost) / SUM(fact_units.ok_units)
- shared per unit = the same over rows with source = 'shared'; per class over rows of that cost_class
- billed: the same with billed_cost. The report divides the exact decimal total as a double.

Relationships: \`fact_unit_costs.month\`, \`fact_units.month\`, \`dim_date.month\` -> \`dim_month.month\`;
\`fact_unit_costs.unit\`, \`fact_units.unit\`, \`fact_events.unit\` -> \`dim_unit.unit\`;
\`fact_unit_costs.feature\` -> \`dim_feature.feature\`; \`fact_unit_costs.team\` -> \`dim_team.team\`.
Relate fact_unit_costs and fact_units through dim_month and dim_unit (both), not to each other.
`;

/**
 * The CSV of a table, from its Parquet file (the query runs once): text columns go through the spreadsheet
 * formula guard (domain/csv-guard.ts) unless `raw`; numbers and dates are written as they are.
 */
async function writeCsvFromParquet(ledger: Ledger, parquet: string, csv: string, raw: boolean): Promise<void> {
  const columns = await ledger.store.query<{ column_name: string; column_type: string }>(
    sql`DESCRIBE SELECT * FROM read_parquet(${parquet})`);
  const select = joinSql(columns.map(({ column_name: c, column_type: t }) => t === 'VARCHAR' && !raw
    ? sql`CASE WHEN regexp_matches(${ident(c)}, ${FORMULA_START_RE2}) THEN '''' || ${ident(c)} ELSE ${ident(c)} END AS ${ident(c)}`
    : ident(c)), ', ');
  await ledger.store.query(sql`COPY (SELECT ${select} FROM read_parquet(${parquet})) TO ${csv} (FORMAT csv, HEADER true)`);
}

/** Write the star schema of the ledger (as its scope sees it) to `out`, unit economics included. */
export async function exportModel(ledger: Ledger, out: string,
  o: { rawCsv?: boolean } = {}): Promise<{ table: string; rows: number }[]> {
  const dir = resolve(out);
  try {
    mkdirSync(join(dir, 'parquet'), { recursive: true });
    mkdirSync(join(dir, 'csv'), { recursive: true });
  } catch (e) {
    throw new TokenledgerError(`--out ${out}: cannot create the folder (${(e as Error).message})`,
      { hint: 'Choose a folder you can write to.' });
  }
  const tables: Record<string, Table> = { ...TABLES, ...unitTables(ledger) };
  const written: { table: string; rows: number }[] = [];
  for (const [name, t] of Object.entries(tables)) {
    const body = typeof t.sql === 'string' ? code(t.sql) : t.sql;
    const parquet = join(dir, 'parquet', `${name}.parquet`);
    await ledger.copy(body, parquet, 'parquet');
    await writeCsvFromParquet(ledger, parquet, join(dir, 'csv', `${name}.csv`), Boolean(o.rawCsv));
    const [{ n }] = (await ledger.store.query<{ n: string }>(sql`SELECT count(*) AS n FROM read_parquet(${parquet})`)) as [{ n: string }];
    written.push({ table: name, rows: Number(n) });
  }
  writeFileSync(join(dir, 'README.md'), `# tokenledger star schema

Written by \`tokenledger export model\`. Each table is in \`parquet/\` and \`csv/\`. Money is exact decimal
(DECIMAL(38,18) in Parquet); never add amounts of different \`currency\`.

| table | rows | what |
|---|---:|---|
${written.map((w) => `| ${w.table} | ${w.rows} | ${tables[w.table]!.about} |`).join('\n')}

Relationships (many-to-one, from facts to dimensions):

- \`fact_*.date\` -> \`dim_date.date\`
- \`fact_allocations.feature\`, \`fact_usage.feature\`, \`fact_events.feature\` -> \`dim_feature.feature\`
- \`fact_allocations.team\`, \`fact_usage.team\` -> \`dim_team.team\`
- \`fact_costs.model\`, \`fact_allocations.model\`, \`fact_usage.model\` -> \`dim_model.model\`
- \`fact_costs.resource_id\`, \`fact_usage.resource_id\` -> \`dim_resource.resource_id\`

Power BI: Get data > Folder (or Parquet) on \`parquet/\`, load every table, then create the relationships above
in Model view (single direction, dimension to fact). Cost per unit: see fact_unit_costs below (fact_allocations
alone misses the shared pools).
\`fact_allocations\` rows with a NULL feature are \`__unallocated__\`; \`source_file\` and \`source_row\` trace every
cost to the export line it came from.

${UNIT_README}`);
  return written;
}
