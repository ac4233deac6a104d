/**
 * Applies the telemetry mapping of tokenledger.yaml to a format's SELECT: which deployment, model or
 * resource stands for which Azure resource and model, and defaults for dimensions a source never carries.
 * Attribute aliases are applied by the format readers themselves (they know where attributes live).
 */
import type { TelemetryConfig } from '../../config/config.js';
import { code, ident, join, sql, type Sql } from '../../store/sql.js';

type Match = { deployment?: string | undefined; model?: string | undefined; resource_id?: string | undefined; api_id?: string | undefined;
  backend_id?: string | undefined };

/** The condition of one `match:` (its values from tokenledger.yaml, as parameters). */
function matchSql(m: Match): Sql {
  const parts: Sql[] = [];
  // gateway dimensions stay in the record's attributes (APIM: "API ID", "Backend ID")
  if (m.api_id)
    parts.push(sql`lower(coalesce(attributes->>'API ID', attributes->>'api_id', attributes->>'apiId')) = ${m.api_id.toLowerCase()}`);
  if (m.backend_id)
    parts.push(sql`lower(coalesce(attributes->>'Backend ID', attributes->>'backend_id',
      attributes->>'backendId')) = ${m.backend_id.toLowerCase()}`);
  if (m.deployment) parts.push(sql`lower(deployment) = ${m.deployment.toLowerCase()}`);
  if (m.model) parts.push(sql`lower(model) = ${m.model.toLowerCase()}`);
  if (m.resource_id) parts.push(sql`resource_id = ${m.resource_id.toLowerCase()}`);
  return parts.length ? join(parts, ' AND ') : code('true');
}

/** Wrap `select` so that mapped resources, models and defaults replace what the source said (or did not). */
export function applyMapping(select: Sql, cfg: TelemetryConfig | undefined): Sql {
  const replace: Sql[] = [];
  const resources = cfg?.resources ?? [];
  const caseFor = (field: 'resource_id' | 'model', transform: (v: string) => string) => {
    const whens = resources.filter((r) => r[field]).map((r) => sql`WHEN ${matchSql(r.match)} THEN ${transform(r[field]!)}`);
    return whens.length ? sql`CASE ${join(whens, ' ')} ELSE ${ident(field)} END AS ${ident(field)}` : null;
  };
  const res = caseFor('resource_id', (v) => v.toLowerCase());
  const model = caseFor('model', (v) => v.toLowerCase());
  if (res) replace.push(res);
  if (model) replace.push(model);
  for (const [dim, value] of Object.entries(cfg?.defaults ?? {})) replace.push(sql`coalesce(${ident(dim)}, ${value!}) AS ${ident(dim)}`);
  return replace.length ? sql`SELECT * REPLACE (${join(replace, ', ')}) FROM (${select})` : select;
}
