/**
 * Cost classes: every charge is token, gpu, platform, overhead or other. Built-in rules read
 * ServiceCategory, ServiceName, the meter and tags; tokenledger.yaml `cost_classes:` rules come first, and
 * a `cost-class` tag on the resource beats the built-in rules. Sharing rules choose which unclaimed
 * charges they spread with the same matcher.
 */
import { ruleClasses, type ChargeMatch, type CostClass, type EconomicsConfig } from '../config/economics.js';
import { code, join, list, sql, value, type Sql } from '../store/sql.js';

/** Built-in classification, in order (after user rules and the cost-class tag). */
export const BUILTIN_CLASS_RULES: { class: CostClass; match: ChargeMatch; why: string }[] = [
  { class: 'gpu', match: { meter_subcategory: ['NC*', 'ND*', 'NV*', '*GPU*'] }, why: 'GPU virtual machine series (NC, ND, NV)' },
  { class: 'gpu', match: { meter: ['*GPU*', '*A100*', '*H100*', '*H200*', '*V100*', '*MI300*'] }, why: 'GPU in the meter name' },
  { class: 'platform', match: { service_name: ['Azure AI Search', 'Azure Cognitive Search', 'Search', 'Azure Cosmos DB', 'Cosmos DB'] },
    why: 'vector store / search' },
  { class: 'platform', match: { service_name: ['Log Analytics', 'Azure Monitor', 'Application Insights', 'Monitor'] },
    why: 'logging and monitoring' },
  { class: 'platform', match: { service_name: ['API Management', 'Azure API Management'] }, why: 'AI gateway' },
  { class: 'overhead',
    match: { service_name: ['Microsoft Defender for Cloud', 'Microsoft Sentinel', 'Key Vault', 'Azure Firewall', 'Microsoft Purview',
      'Azure Policy'] }, why: 'security and governance tooling' },
  { class: 'overhead', match: { service_category: ['Security', 'Identity', 'Management and Governance'] },
    why: 'security, identity, governance' },
  { class: 'platform', match: { service_category: ['Storage', 'Networking', 'Databases', 'Integration', 'Containers'] },
    why: 'storage, networking, databases, integration' },
];

const COLUMNS: Record<Exclude<keyof ChargeMatch, 'tags' | 'resource'>, string> = {
  service_name: 'ServiceName',
  service_category: 'ServiceCategory',
  meter_category: 'x_SkuMeterCategory',
  meter_subcategory: 'x_SkuMeterSubcategory',
  meter: 'x_SkuMeterName',
  charge_category: 'ChargeCategory',
};

/** A value as an ILIKE pattern: case-insensitive, `*` a wildcard, SQL wildcards taken literally. */
function pattern(v: string): Sql {
  return value(v.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%'));
}

function anyOf(column: Sql, values: string | string[]): Sql {
  const patterns = Array.isArray(values) ? values : [values];
  return sql`(${join(patterns.map((v) => sql`${column} ILIKE ${pattern(v)} ESCAPE '\\'`), ' OR ')})`;
}

/** SQL condition over alloc_charges for one match. */
export function matchSql(m: ChargeMatch): Sql {
  const parts: Sql[] = [];
  for (const [key, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
    const v = m[key];
    if (v !== undefined) parts.push(anyOf(code(`coalesce(${column}, '')`), v));
  }
  if (m.resource !== undefined)
    parts.push(sql`(${anyOf(code("coalesce(ResourceId, '')"), m.resource)} OR ${anyOf(code("coalesce(ResourceName, '')"), m.resource)})`);
  for (const [tag, v] of Object.entries(m.tags ?? {})) parts.push(anyOf(sql`coalesce(Tags->>${tag}, '')`, v));
  return parts.length ? join(parts, ' AND ') : code('true');
}

const TAG_CLASS = `lower(trim(coalesce(Tags->>'cost-class', Tags->>'cost_class', Tags->>'CostClass', Tags->>'costclass')))`;

/** The cost class of a charge, as a CASE over alloc_charges columns. */
export function costClassSql(cfg: EconomicsConfig | undefined): Sql {
  const user = (cfg?.cost_classes ?? []).map((r) => sql`WHEN ${matchSql(r.match)} THEN ${r.class}`);
  const builtin = BUILTIN_CLASS_RULES.map((r) => sql`WHEN ${matchSql(r.match)} THEN ${r.class}`);
  return sql`CASE ${join(user, ' ')}
    WHEN ${code(TAG_CLASS)} IN ('token', 'gpu', 'platform', 'overhead', 'other') THEN ${code(TAG_CLASS)}
    WHEN is_ai OR token_type IS NOT NULL THEN 'token'
    ${join(builtin, '\n    ')}
    ELSE 'other' END`;
}

/** Which sharing rule claims a charge (first match), given its class in column cost_class; NULL if none. */
export function shareRuleSql(cfg: EconomicsConfig | undefined): Sql {
  const rules = cfg?.sharing ?? [];
  if (!rules.length) return code('CAST(NULL AS VARCHAR)');
  const whens = rules.map(
    (r) => sql`WHEN cost_class IN (${list(ruleClasses(r))})${r.match ? sql` AND ${matchSql(r.match)}` : code('')} THEN ${r.name}`);
  return sql`CASE ${join(whens, ' ')} END`;
}
