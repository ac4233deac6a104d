/**
 * Writes demo rows the way Azure Cost Management delivers a FOCUS export: per run a folder
 * <export>/<YYYYMMDD-YYYYMMDD>/<runId>/ with gzip CSV parts (part_0_0001.csv.gz, ...) and a
 * manifest.json naming the scope, the period, the run and each part's row count.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { AZURE_FOCUS_1_2_PREVIEW_COLUMNS } from './azure-columns.js';
import { addMonths, monthRows, toArray, type DemoPlan } from './generate.js';
import { BILLING_ACCOUNT } from './catalog.js';
import { Rng } from './rng.js';

export const EXPORT_NAME = 'fabrikam-focus-monthly';
export const EXPORT_SCOPE = `${BILLING_ACCOUNT.profileId}/providers/Microsoft.CostManagement/exports/${EXPORT_NAME}`;

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export interface WrittenRun { dir: string; month: string; rows: number; parts: string[] }

class PartWriter {
  private readonly gz = createGzip({ level: 6 });
  private readonly out;
  private buf: string[] = [];
  rows = 0;
  constructor(readonly path: string) {
    this.out = createWriteStream(path);
    this.gz.pipe(this.out);
    this.buf.push('\uFEFF' + AZURE_FOCUS_1_2_PREVIEW_COLUMNS.join(',') + '\r\n');
  }
  async add(line: string): Promise<void> {
    this.buf.push(line);
    this.rows++;
    if (this.buf.length >= 2000) await this.flush();
  }
  private async flush(): Promise<void> {
    if (!this.buf.length) return;
    const ok = this.gz.write(this.buf.join(''));
    this.buf = [];
    if (!ok) await once(this.gz, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.gz.end();
    await once(this.out, 'close');
  }
}

/** Write one export run per month. Parts hold at most `partRows` rows. */
export async function writeDemoExport(outDir: string, plan: DemoPlan, partRows = 250_000): Promise<WrittenRun[]> {
  const runs: WrittenRun[] = [];
  for (const [i, month] of plan.months.entries()) {
    const start = `${month.replace('-', '')}01`;
    const endDate = new Date(`${addMonths(month, 1)}-01T00:00:00Z`);
    endDate.setUTCDate(endDate.getUTCDate() - 1);
    const end = endDate.toISOString().slice(0, 10).replace(/-/g, '');
    const runId = new Rng(plan.seed * 7919 + i).guid();
    const dir = join(outDir, EXPORT_NAME, `${start}-${end}`, runId);
    mkdirSync(dir, { recursive: true });
    const parts: PartWriter[] = [];
    let part: PartWriter | null = null;
    for (const row of monthRows(plan, i)) {
      if (!part || part.rows >= partRows) {
        part = new PartWriter(join(dir, `part_0_${String(parts.length + 1).padStart(4, '0')}.csv.gz`));
        parts.push(part);
      }
      await part.add(toArray(row).map(csvField).join(',') + '\r\n');
    }
    for (const p of parts) await p.close();
    const submitted = new Date(`${addMonths(month, 1)}-03T06:00:00Z`);
    const manifest = {
      manifestVersion: '2024-04-01',
      byteCount: parts.reduce((a, p) => a + statSync(p.path).size, 0),
      blobCount: parts.length,
      dataRowCount: parts.reduce((a, p) => a + p.rows, 0),
      exportConfig: {
        exportName: EXPORT_NAME, resourceId: EXPORT_SCOPE, dataVersion: '1.2-preview', apiVersion: '2023-07-01-preview',
        type: 'FocusCost', timeFrame: 'TheLastMonth', granularity: 'Daily',
      },
      deliveryConfig: { partitionData: true, dataOverwriteBehavior: 'CreateNewReport', fileFormat: 'Csv', compressionMode: 'gzip',
        containerUri: 'https://stfabrikambilling.blob.core.windows.net/exports', rootFolderPath: 'focus' },
      runInfo: { executionType: 'Scheduled', submittedTime: submitted.toISOString(), runId, startDate: `${month}-01T00:00:00`,
        endDate: `${endDate.toISOString().slice(0, 10)}T00:00:00` },
      blobs: parts.map((p) => ({
        blobName: `focus/${EXPORT_NAME}/${start}-${end}/${runId}/${p.path.split('/').pop()}`,
        byteCount: statSync(p.path).size,
        dataRowCount: p.rows,
      })),
    };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    runs.push({ dir, month, rows: manifest.dataRowCount, parts: parts.map((p) => p.path) });
  }
  return runs;
}
