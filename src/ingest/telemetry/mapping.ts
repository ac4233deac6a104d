/**
 * Applies the telemetry mapping of tokenledger.yaml to a format's SELECT: which deployment, model or
 * resource stands for which Azure resource and model, and defaults for dimensions a source never carries.
 * Attribute aliases are applied by the format readers themselves (they know where attributes live).
 */
import type { TelemetryConfig } from '../../config/config.js';
import { literal } from '../../store/db.js';

type Match = { deployment?: string | undefined; model?: string | undefined; resource_id?: string | undefined; api_id?: string | undefined; backend_id?: string | undefined };

function matchSql(m: Match): string {
  const parts: string[] = [];
  // gateway dimensions stay in the record's attributes (APIM: "API ID", "Backend ID")
  if (m.api_id) parts.push(`lower(coalesce(attributes->>'API ID', attributes->>'api_id', attributes->>'apiId')) = ${literal(m.api_id.toLowerCase())}`);
  if (m.backend_id) parts.push(`lower(coalesce(attributes->>'Backend ID', attributes->>'backend_id', attributes->>'backendId')) = ${literal(m.backend_id.toLowerCase())}`);
  if (m.deployment) parts.push(`lower(deployment) = ${literal(m.deployment.toLowerCase())}`);
  if (m.model) parts.push(`lower(model) = ${literal(m.model.toLowerCase())}`);
  if (m.resource_id) parts.push(`resource_id = ${literal(m.resource_id.toLowerCase())}`);
  return parts.join(' AND ');
}

/** Wrap `select` so that mapped resources, models and defaults replace what the source said (or did not). */
export function applyMapping(select: string, cfg: TelemetryConfig | undefined): string {
  const replace: string[] = [];
  const resources = cfg?.resources ?? [];
  const caseFor = (field: 'resource_id' | 'model', transform: (v: string) => string) => {
    const whens = resources.filter((r) => r[field]).map((r) => `WHEN ${matchSql(r.match)} THEN ${literal(transform(r[field]!))}`);
    return whens.length ? `CASE ${whens.join(' ')} ELSE ${field} END AS ${field}` : null;
  };
  const res = caseFor('resource_id', (v) => v.toLowerCase());
  const model = caseFor('model', (v) => v.toLowerCase());
  if (res) replace.push(res);
  if (model) replace.push(model);
  for (const [dim, value] of Object.entries(cfg?.defaults ?? {})) replace.push(`coalesce(${dim}, ${literal(value!)}) AS ${dim}`);
  return replace.length ? `SELECT * REPLACE (${replace.join(', ')}) FROM (${select})` : select;
}
