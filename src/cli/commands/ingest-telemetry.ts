/** `tokenledger ingest telemetry <path...>`: token telemetry into the store, exactly once. */
import { relative } from 'node:path';
import { parseFormat } from '../../ingest/telemetry/detect.js';
import { ingestTelemetry, type TelemetryOutcome } from '../../ingest/telemetry/ingest.js';
import { render, type Format } from '../../report/render.js';
import type { TelemetryConfig } from '../../config/config.js';
import { withStore, type GlobalOptions } from '../context.js';

export async function runIngestTelemetry(
  paths: string[],
  o: GlobalOptions & { telemetryFormat?: string; format: Format; quiet?: boolean; mapping?: TelemetryConfig },
): Promise<TelemetryOutcome[]> {
  const format = parseFormat(o.telemetryFormat ?? 'auto');
  return withStore(o, async (store, config) => {
    // resources mapped by the caller (the demo) come before those of tokenledger.yaml
    const resources = [...(o.mapping?.resources ?? []), ...(config.telemetry?.resources ?? [])];
    const mapping: TelemetryConfig | undefined = config.telemetry || o.mapping ? { ...config.telemetry, ...(resources.length ? { resources } : {}) } : undefined;
    const outcomes = await ingestTelemetry(store, paths, { format, ...(mapping ? { mapping } : {}) });
    if (!o.quiet || o.format !== 'table') {
      process.stdout.write(render({
        name: 'ingest-telemetry',
        title: `Telemetry ingested into ${store.path}`,
        meta: {},
        columns: [
          { key: 'action', label: 'Action', kind: 'text' },
          { key: 'rows', label: 'Records', kind: 'int' },
          { key: 'format', label: 'Format', kind: 'text' },
          { key: 'ingestion_id', label: 'Ingestion', kind: 'text' },
          { key: 'source', label: 'Source', kind: 'text' },
          { key: 'detail', label: 'Detail', kind: 'text' },
        ],
        rows: outcomes.map((x) => ({
          action: x.action, rows: x.rows, format: x.format, ingestion_id: x.ingestionId,
          source: o.format === 'table' ? relative(process.cwd(), x.source) : x.source, detail: x.detail,
        })),
      }, o.format));
    }
    return outcomes;
  });
}
