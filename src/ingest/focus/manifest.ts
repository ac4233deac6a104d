/**
 * Azure Cost Management export manifests (manifest.json written beside each run's parts). The manifest
 * tells which scope and period a run covers (what a newer run replaces), when it ran, and how many rows
 * each part must hold, which lets ingest refuse an export that arrived incomplete.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { TokenledgerError } from '../../domain/errors.js';

export const ManifestSchema = z.object({
  manifestVersion: z.string().optional(),
  byteCount: z.number().optional(),
  blobCount: z.number().optional(),
  dataRowCount: z.number().optional(),
  exportConfig: z.object({
    exportName: z.string().optional(),
    resourceId: z.string().optional(),
    dataVersion: z.string().optional(),
    apiVersion: z.string().optional(),
    type: z.string().optional(),
    timeFrame: z.string().optional(),
    granularity: z.string().optional(),
  }).passthrough().optional(),
  deliveryConfig: z.object({
    partitionData: z.boolean().optional(),
    dataOverwriteBehavior: z.string().optional(),
    fileFormat: z.string().optional(),
    compressionMode: z.string().optional(),
  }).passthrough().optional(),
  runInfo: z.object({
    executionType: z.string().optional(),
    submittedTime: z.string().optional(),
    runId: z.string().optional(),
    startDate: z.string().optional(),
    endDate: z.string().optional(),
  }).passthrough().optional(),
  blobs: z.array(z.object({
    blobName: z.string(),
    byteCount: z.number().optional(),
    dataRowCount: z.number().optional(),
  }).passthrough()).min(1),
}).passthrough();

export type Manifest = z.infer<typeof ManifestSchema>;

export function readManifest(path: string): Manifest {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new TokenledgerError(`${path}: manifest is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TokenledgerError(`${path}: not an Azure Cost Management export manifest (${issues})`, {
      hint: 'A manifest lists its parts in blobs[{blobName, dataRowCount}].',
    });
  }
  return parsed.data;
}
