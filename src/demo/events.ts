/**
 * The demo's business events: tickets resolved by the support copilot and agent assist (CSV, as a
 * helpdesk export), documents processed by doc intake and leads scored (JSONL, as an app would log them).
 * One record per day, feature and outcome with a count; volumes grow at their own pace each month, so
 * that month-over-month variance has volume, intensity and rate to explain. And the demo's
 * tokenledger.yaml: its unit types and how Fabrikam splits shared platform and security costs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { daysIn, type DemoPlan } from './generate.js';
import { Rng } from './rng.js';

interface UnitPlan {
  unit: string;
  features: { feature: string; share: number }[];
  outcomes: { outcome: string; share: number }[];
  perDay: [number, number];
  growth: number;
  format: 'csv' | 'jsonl';
}

export const DEMO_UNITS: UnitPlan[] = [
  {
    unit: 'ticket', format: 'csv', perDay: [3000, 4000], growth: 0.06,
    features: [{ feature: 'support-copilot', share: 0.7 }, { feature: 'agent-assist', share: 0.3 }],
    outcomes: [{ outcome: 'resolved', share: 0.8 }, { outcome: 'escalated', share: 0.15 }, { outcome: 'abandoned', share: 0.05 }],
  },
  {
    unit: 'document', format: 'jsonl', perDay: [15000, 20000], growth: 0.03,
    features: [{ feature: 'doc-intake', share: 1 }],
    outcomes: [{ outcome: 'processed', share: 0.96 }, { outcome: 'failed', share: 0.04 }],
  },
  {
    unit: 'lead', format: 'jsonl', perDay: [800, 1200], growth: 0.1,
    features: [{ feature: 'lead-scoring', share: 1 }],
    outcomes: [{ outcome: 'qualified', share: 0.3 }, { outcome: 'disqualified', share: 0.7 }],
  },
];

const CHANNELS = ['email', 'chat', 'phone'];

/** Write one events file per unit type and month; returns the files. */
export function writeDemoEvents(outDir: string, plan: DemoPlan): string[] {
  const dir = join(outDir, 'events');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [i, month] of plan.months.entries()) {
    for (const [u, p] of DEMO_UNITS.entries()) {
      const rng = new Rng(plan.seed * 7919 + i * 31 + u);
      const lines: string[] = p.format === 'csv' ? ['timestamp,unit,feature,count,outcome,channel'] : [];
      for (let d = 1; d <= daysIn(month); d++) {
        const day = `${month}-${String(d).padStart(2, '0')}`;
        const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
        const total = Math.round(rng.int(p.perDay[0], p.perDay[1]) * (weekend ? 0.4 : 1) * (1 + p.growth) ** i * plan.clones);
        for (const f of p.features) {
          for (const o of p.outcomes) {
            const count = Math.round(total * f.share * o.share * (0.9 + 0.2 * rng.next()));
            if (count === 0) continue;
            const ts = `${day}T${String(8 + rng.int(0, 10)).padStart(2, '0')}:00:00Z`;
            if (p.format === 'csv') lines.push(`${ts},${p.unit},${f.feature},${count},${o.outcome},${CHANNELS[rng.int(0, 2)]}`);
            else lines.push(
              JSON.stringify({ timestamp: ts, unit: p.unit, feature: f.feature, count, outcome: o.outcome,
                attributes: { source: `${f.feature}-app` } }));
          }
        }
      }
      const file = join(dir, `${p.unit}s-${month}.${p.format}`);
      writeFileSync(file, lines.join('\n') + '\n');
      files.push(file);
    }
  }
  return files;
}

/** The demo's tokenledger.yaml: unit types, sharing rules for the platform and security costs, and budgets. */
export function writeDemoConfig(outDir: string, storePath: string, o: { here?: boolean } = {}): string {
  const file = join(outDir, 'tokenledger.yaml');
  const use = o.here ? 'tokenledger commands run in this folder read it.'
    : `Use it with: tokenledger --config ${relative(process.cwd(), file) || file} report unit-economics`;
  writeFileSync(file, `# Written by \`tokenledger demo\`: Fabrikam's unit types and how it splits shared costs.
# ${use}
store: ${relative(outDir, storePath)}

units:
  ticket:   { features: [support-copilot, agent-assist], success: [resolved] }
  document: { features: [doc-intake], success: [processed] }
  lead:     { features: [lead-scoring], success: [qualified] }

# Platform and overhead costs no feature tag claims, split by a stated basis (first matching rule wins).
sharing:
  - name: vector-store            # AI Search serves retrieval for tickets and documents
    match: { service_name: Azure AI Search }
    basis: units
    units: [ticket, document]
  - name: ai-gateway              # APIM: a fixed platform fee, the rest per unit of work
    match: { service_name: API Management }
    basis: fixed_plus_units
    fixed: 300
  - name: logs-and-storage        # logging and blob storage grow with tokens
    match: { service_name: [Log Analytics, Storage Accounts] }
    basis: tokens
  - name: security                # security tooling, split as agreed with finance
    classes: [overhead]
    basis: percent
    percent: { support-copilot: 40, agent-assist: 10, doc-intake: 30, lead-scoring: 20 }

# Budgets: tokenledger report budgets, tokenledger alerts. Cost on the report's cost basis, or tokens.
budgets:
  - name: support-copilot-monthly
    scope: { feature: support-copilot }
    amount: 20000
    thresholds: [ { at: 80 }, { at: 100 }, { at: 100, basis: forecast } ]
  - name: ai-platform-quarterly     # everything, per calendar quarter
    period: quarter
    amount: 120000
  - name: gpt-4o-tokens-monthly
    scope: { model: gpt-4o }
    measure: tokens
    amount: 3000000000
  - name: doc-intake-30d
    scope: { feature: doc-intake }
    period: { rolling_days: 30 }
    amount: 12000
# What \`report savings\` may assume (see \`report prices\` for the prices it uses).
savings:
  hit_rate: 0.5                   # prompt-cache hits reachable on prompts of 1,024+ tokens
  right_sizing:                   # candidate pairs, repriced on measured tokens (need a quality check)
    - { from: gpt-4o, to: gpt-4o-mini }
    - { from: gpt-5, to: gpt-5-mini }
  features:
    doc-intake: { deferrable: true, global_ok: true }   # documents can wait a day; no residency constraint
    # lead-scoring is not listed: it is scored overnight, and report savings finds it in the telemetry's time profile
`);
  return file;
}
