/**
 * `report throughput`: Azure OpenAI throughput governance beside cost. TPM and RPM limits are set per region x
 * subscription x model x deployment type and handed out to deployments; the limiter counts an estimate
 * (prompt + max_tokens) and enforces RPM over 1 s or 10 s windows, so throttling starts below what billed-token
 * metrics show. Per deployment: quota and what deployments hold, measured per-minute peaks, headroom, 429s,
 * PTU utilization, a risk rating with its reasons, and the actions those reasons name.
 */
import type { Ledger } from '../ledger/ledger.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod } from '../store/sql.js';
import { capturedBy } from './quota.js';
import { baseMeta, type RequestOf } from './request.js';
import type { Report } from './render.js';

const SQL = loadSql(import.meta.url, 'throughput.sql');

export async function throughput(ledger: Ledger, o: RequestOf<'throughput'>): Promise<Report> {
  const rows = await ledger.query(fill(SQL, { ASOF: capturedBy(o), MINUTES: inPeriod(code('ts'), o.period),
    TELEMETRY: inPeriod(code('minute'), o.period) }));
  return {
    name: 'throughput',
    title: `Azure OpenAI throughput, ${o.period.label}: quota, per-minute peaks (nearest rank), headroom and throttling risk`,
    meta: { ...baseMeta(o) },
    columns: [
      { key: 'region', label: 'Region', kind: 'text' },
      { key: 'subscription', label: 'Subscription', kind: 'text', secondary: true },
      { key: 'account', label: 'Account', kind: 'text', secondary: true },
      { key: 'deployment', label: 'Deployment', kind: 'text' },
      { key: 'model', label: 'Model', kind: 'text' },
      { key: 'deployment_type', label: 'Type', kind: 'text' },
      { key: 'capacity', label: 'Capacity', kind: 'int', secondary: true },
      { key: 'tpm_quota', label: 'TPM quota', kind: 'int', secondary: true },
      { key: 'rpm_quota', label: 'RPM quota', kind: 'int', secondary: true },
      { key: 'held_tpm', label: 'Held TPM', kind: 'int', secondary: true },
      { key: 'ptu_quota', label: 'PTU quota', kind: 'int', secondary: true },
      { key: 'held_ptu', label: 'Held PTU', kind: 'int', secondary: true },
      { key: 'quota_held_pct', label: 'Quota held', kind: 'percent', secondary: true },
      { key: 'deployment_tpm', label: 'Deploy TPM', kind: 'int' },
      { key: 'minutes', label: 'Minutes', kind: 'int', secondary: true },
      { key: 'tpm_p95', label: 'TPM p95', kind: 'int', secondary: true },
      { key: 'tpm_p99', label: 'TPM p99', kind: 'int' },
      { key: 'tpm_max', label: 'TPM max', kind: 'int' },
      { key: 'rpm_p95', label: 'RPM p95', kind: 'int', secondary: true },
      { key: 'rpm_p99', label: 'RPM p99', kind: 'int', secondary: true },
      { key: 'rpm_max', label: 'RPM max', kind: 'int', secondary: true },
      { key: 'headroom_tpm', label: 'Headroom TPM', kind: 'int' },
      { key: 'requests', label: 'Requests', kind: 'int', secondary: true },
      { key: 'throttled', label: '429s', kind: 'int', secondary: true },
      { key: 'throttled_pct', label: '429 %', kind: 'percent' },
      { key: 'throttled_minutes_pct', label: '429 min %', kind: 'percent', secondary: true },
      { key: 'ptu_avg', label: 'PTU avg %', kind: 'percent', secondary: true },
      { key: 'ptu_max', label: 'PTU max %', kind: 'percent' },
      { key: 'risk', label: 'Risk', kind: 'text' },
      { key: 'reason', label: 'Why', kind: 'text' },
      { key: 'actions', label: 'Actions', kind: 'text' },
    ],
    rows,
    notes: ['RPM "about" = capacity x 6 (older chat models); the limiter counts prompt + max_tokens, so 429s can start below billed ' +
      'tokens.'],
  };
}
