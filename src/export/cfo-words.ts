/**
 * The CFO pack in a CFO's words: the rules of tokenledger.yaml as sentences (not JSON), the data checks as
 * counts and words (not an exit code), and file names relative to the folder the exports came from (not
 * the absolute paths of the machine that built the pack).
 */
import type { ChargeMatch, SharingRule } from '../config/economics.js';
import { ruleClasses } from '../config/economics.js';
import type { CheckResult } from '../check/checks.js';

const FIELDS: Record<keyof ChargeMatch, string> = {
  service_name: 'service',
  service_category: 'service category',
  meter_category: 'meter category',
  meter_subcategory: 'meter subcategory',
  meter: 'meter',
  resource: 'resource',
  charge_category: 'charge category',
  tags: 'tag',
};

const oneOf = (v: string | string[]) => (Array.isArray(v) ? v.join(' or ') : v);

/** "service is Azure AI Search and tag team is platform" */
export function describeMatch(m: ChargeMatch): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(m) as [keyof ChargeMatch, unknown][]) {
    if (value === undefined) continue;
    if (key === 'tags') {
      for (const [tag, v] of Object.entries(value as Record<string, string | string[]>)) parts.push(`tag ${tag} is ${oneOf(v)}`);
    } else parts.push(`${FIELDS[key]} is ${oneOf(value as string | string[])}`);
  }
  return parts.join(' and ');
}

/** One sentence per sharing rule: what it takes, and how it splits it. */
export function describeSharingRule(r: SharingRule): string {
  const what = `${ruleClasses(r).join(' and ')} cost no feature claims${r.match ? ` where ${describeMatch(r.match)}` : ''}`;
  const to = r.features ? ` among ${r.features.join(', ')}` : '';
  const units = r.units ? ` (${r.units.join(', ')})` : '';
  switch (r.basis) {
    case 'tokens': return `${what}, split by each feature's tokens${to}.`;
    case 'units': return `${what}, split by each feature's units of work${units}${to}.`;
    case 'percent':
      return `${what}, split by agreed percentages: ${Object.entries(r.percent ?? {}).map(([f, p]) => `${f} ${p}%`).join(', ')}.`;
    case 'fixed_plus_units': return `${what}: a fixed ${r.fixed} per month split equally${to}, the rest by units of work${units}.`;
    default: return `${what}, split by ${String(r.basis)}.`;
  }
}

/** "Data checks: 0 failing, 1 warning, 10 passing" */
export function checksTitle(checks: CheckResult[]): string {
  const fails = checks.filter((c) => c.status === 'fail').length;
  const warns = checks.filter((c) => c.status === 'warn').length;
  return `Data checks: ${fails} failing, ${warns} warning, ${checks.length - fails - warns} passing`
    + (fails ? ' (figures may change when the data is fixed)' : warns ? ' (nothing that changes the figures)' : '');
}

/** The longest folder every absolute path in `texts` starts with ('' when there is none). */
export function commonFolder(texts: string[]): string {
  const paths = texts.flatMap((t) => t.match(/\/[^\s:;,]+/g) ?? []).filter((p) => p.includes('/', 1));
  if (!paths.length) return '';
  let prefix = paths[0]!.slice(0, paths[0]!.lastIndexOf('/') + 1);
  for (const p of paths) while (prefix && !p.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  return prefix.length > 1 ? prefix : '';
}

/** The texts with that common folder cut off, so file names read relative to the export folder. */
export function relativeTo(folder: string, text: string): string {
  return folder ? text.split(folder).join('') : text;
}
