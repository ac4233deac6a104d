/**
 * The CFO pack on the demo company (2 months ending 2026-10): the spreadsheet reads back (exceljs, and
 * LibreOffice converting it to PDF and to CSV), its summary equals the invoice total computed straight
 * from the export files, and the HTML pack is self-contained and renders in headless Chromium.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { writeDemoConfig, writeDemoEvents } from '../demo/events.js';
import { RESOURCES } from '../demo/catalog.js';
import { resourceIdOf } from '../demo/generate.js';
import { demoMapping, writeDemoTelemetry } from '../demo/telemetry.js';
import { writeDemoExport } from '../demo/write-export.js';
import { ingestEvents } from '../ingest/events/ingest.js';
import { ingestFocus } from '../ingest/focus/ingest.js';
import { ingestTelemetry } from '../ingest/telemetry/ingest.js';
import { loadRules } from '../normalize/rules.js';
import { listValue } from '@duckdb/node-api';
import { sumDecimals } from '../domain/decimal.js';
import { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { tempDir } from '../test-support/focus-fixture.js';
import { findTool } from '../test-support/tools.js';
import { cfoHtml, writeCfoHtml } from './cfo-html.js';
import { buildCfoPack, type CfoPack } from './cfo-pack.js';
import { Ledger } from '../ledger/ledger.js';
import { ready } from '../test-support/ledger.js';
import { writeCfoXlsx } from './cfo-xlsx.js';
import JSZip from 'jszip';
import { mkdirSync } from 'node:fs';
import { REPO_ROOT } from '../test-support/paths.js';
import { packCharts } from './cfo-charts.js';

/** Screenshots and PDF pages of the pack, kept for a person to look at (.ci-out is not committed). */
const SHOTS = join(REPO_ROOT, '.ci-out', 'cfo-pack');

let store: Store;
let dir: string;
let pack: CfoPack;
let invoiceTotal: number;
const plan = { months: ['2026-09', '2026-10'], clones: 1, seed: 5 };

beforeAll(async () => {
  dir = tempDir('tl-pack-');
  await writeDemoExport(join(dir, 'billing'), plan);
  const telemetry = await writeDemoTelemetry(dir, plan);
  store = await Store.open(':memory:');
  await ingestFocus(store, [join(dir, 'billing')], { rules: loadRules() });
  await ingestTelemetry(store, telemetry, { mapping: demoMapping(RESOURCES.map(resourceIdOf)) });
  await ingestEvents(store, writeDemoEvents(dir, plan));
  const config = loadConfig(writeDemoConfig(dir, join(dir, 'ledger.duckdb')));
  await ready(store);
  pack = await buildCfoPack(new Ledger(store, config), { month: '2026-10', today: '2026-11-20', allowIncomplete: false });
  // the invoice straight from the export files, without tokenledger: BilledCost of the October run
  const files: string[] = [];
  const walk = (d: string) => { for (const f of readdirSync(d)) { const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p); else if (p.endsWith('.csv.gz') && p.includes('20261001-20261031')) files.push(p); } };
  walk(join(dir, 'billing'));
  const [row] = await store.query<{ t: string }>(
    sql`SELECT CAST(sum(CAST(BilledCost AS DECIMAL(38,12))) AS VARCHAR) AS t FROM read_csv(${listValue(files)}, all_varchar = true)`);
  invoiceTotal = Number(row!.t);
}, 120_000);
afterAll(() => store.close());

describe('CFO pack', () => {
  it('has the sections, and a summary equal to the invoice total of the export', async () => {
    expect(pack.sections.map((s) => s.sheet)).toEqual([
      'Summary', 'Figures', 'Unit economics', 'Allocation', 'Chargeback', 'Reconciliation', 'Variance', 'Data quality',
      'Assumptions and rules',
    ]);
    expect(pack.draft).toBe(false);
    expect(pack.invoices).toHaveLength(1);
    expect(Number(pack.invoices[0]!.total)).toBeCloseTo(invoiceTotal, 8);
    const summary = pack.sections[0]!.report.rows;
    expect(summary).toHaveLength(1);
    expect(Number(summary[0]!.billed_cost)).toBeCloseTo(invoiceTotal, 8);
  });

  it('has the figures once, with the bridge from the invoice to the spend the chargeback and waterfall show', () => {
    const [f] = pack.figures;
    expect(f!.invoice_total).toBe(pack.invoices[0]!.total);
    const figures = pack.sections.find((s) => s.sheet === 'Figures')!.report;
    const amount = (label: RegExp) => figures.rows.find((r) => label.test(String(r.figure)))!.amount;
    expect(amount(/^invoice total/)).toBe(f!.invoice_total);
    expect(amount(/^spend/)).toBe(f!.spend);
    expect(figures.notes).toEqual(['2026-10 USD: each step adds up to the last digit']);
    const chargeback = pack.sections.find((s) => s.sheet === 'Chargeback')!.report;
    expect(sumDecimals(chargeback.rows.map((r) => String(r.total)))).toBe(sumDecimals([f!.spend]));
    expect(chargeback.notes!.join('\n')).toContain('Bridge 2026-10 USD');
    const variance = pack.sections.find((s) => s.sheet === 'Variance')!.report;
    expect(sumDecimals([String(variance.rows.find((r) => r.unit === 'TOTAL')!.after)])).toBe(sumDecimals([f!.spend]));
    const html = cfoHtml(pack);
    expect(html).toContain('<section id="figures">');
    expect(html).toMatch(/2026-10: invoice [\d,.]+ USD; spend \(EffectiveCost of the month's charges\) [\d,.]+ USD/);
  });

  it('the spreadsheet reads back: numbers as numbers with currency formats', async () => {
    const path = join(dir, 'pack.xlsx');
    await writeCfoXlsx(pack, path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const names = pack.sections.map((s) => s.sheet);
    expect(wb.worksheets.map((w) => w.name)).toEqual([names[0], 'Charts', ...names.slice(1)]);
    const ws = wb.getWorksheet('Summary')!;
    expect(ws.getRow(4).getCell(3).value).toBe('Invoice');
    const billed = ws.getRow(5).getCell(3);
    expect(typeof billed.value).toBe('number');
    expect(billed.value as number).toBeCloseTo(invoiceTotal, 6);
    expect(billed.numFmt).toContain('"USD"');
    const rec = wb.getWorksheet('Reconciliation')!;
    expect(rec.getRow(5).getCell(7).value).toBe(0); // difference
  });

  it('the spreadsheet has four native charts over the Charts sheet, with titled axes and bars from zero', async () => {
    const path = join(dir, 'pack.xlsx');
    await writeCfoXlsx(pack, path);
    const zip = await JSZip.loadAsync(readFileSync(path));
    const charts = await Promise.all([1, 2, 3, 4].map((k) => zip.file(`xl/charts/chart${k}.xml`)!.async('string')));
    const data = packCharts(pack);
    const titles = [data.trend.title, data.unitCost.title, data.allocation.title, data.waterfall!.title];
    charts.forEach((xml, k) => {
      expect(xml).toContain(`<a:t>${titles[k]!.replace(/&/g, '&amp;')}</a:t>`);
      expect(xml).toMatch(/<c:catAx>.*<c:title>.*<\/c:title>.*<\/c:catAx>/);
      expect(xml).toMatch(/<c:valAx>.*<c:majorGridlines>.*<c:title>.*<a:t>USD( per unit)?<\/a:t>.*<\/c:valAx>/);
      expect(xml).toMatch(/<c:f>(&apos;|')Charts(&apos;|')!\$A\$\d+:\$A\$\d+<\/c:f>/);
    });
    for (const k of [0, 2, 3]) expect(charts[k]).toContain('<c:min val="0"/>');
    // the waterfall: a stacked column whose first series (where each step starts) is not drawn
    expect(charts[3]).toMatch(/<c:grouping val="stacked"\/>.*<c:ser><c:idx val="0"\/>.*?<a:noFill\/>/);
    const types = await zip.file('[Content_Types].xml')!.async('string');
    expect(types.match(/drawingml\.chart\+xml/g)).toHaveLength(4);
    // the cells the charts read are the pack's figures
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets.map((w) => w.name).slice(0, 3)).toEqual(['Summary', 'Charts', 'Figures']);
    const ws = wb.getWorksheet('Charts')!;
    const cells = ws.getSheetValues().flatMap((r) => (Array.isArray(r) ? [r.slice(1)] : []));
    for (const b of data.trend.bars) expect(cells).toContainEqual([b.label, b.value]);
    for (const b of data.allocation.bars) expect(cells).toContainEqual([b.label, b.value]);
  });

  it('LibreOffice opens it: converts to PDF, and to CSV whose summary cell is the invoice total', () => {
    const soffice = findTool(['soffice', 'libreoffice']);
    if (!soffice) return; // not installed here (CI installs it and requires it)
    const path = join(dir, 'pack.xlsx');
    const out = join(dir, 'lo');
    const pdf = spawnSync(soffice, ['--headless', '--convert-to', 'pdf', path, '--outdir', out], { encoding: 'utf8', timeout: 120_000 });
    expect(pdf.status).toBe(0);
    expect(statSync(join(out, 'pack.pdf')).size).toBeGreaterThan(10_000);
    // printed: landscape, one page wide, so each sheet is one or two pages; no cell too narrow for its number
    const pdftotext = findTool(['pdftotext']);
    if (pdftotext) {
      const text = spawnSync(pdftotext, ['-layout', join(out, 'pack.pdf'), '-'], { encoding: 'utf8' }).stdout;
      expect(text).not.toContain('###');
      const pages = text.split('\f').filter((p) => p.trim()).length;
      expect(pages).toBeGreaterThanOrEqual(pack.sections.length);
      expect(pages).toBeLessThanOrEqual(2 * (pack.sections.length + 1));
      // the chart titles are in the chart parts only: seeing them in the PDF means LibreOffice drew the charts
      const data = packCharts(pack);
      for (const t of [data.trend.title, data.unitCost.title, data.allocation.title]) expect(text.replace(/\s+/g, ' ')).toContain(t);
      for (const axis of ['Billing period', 'USD per unit', 'Feature', 'Step']) expect(text).toContain(axis);
      const pdftoppm = findTool(['pdftoppm']);
      if (pdftoppm) {
        mkdirSync(SHOTS, { recursive: true });
        spawnSync(pdftoppm, ['-png', '-r', '60', join(out, 'pack.pdf'), join(SHOTS, 'xlsx-page')], { timeout: 120_000 });
        expect(readdirSync(SHOTS).filter((f) => f.startsWith('xlsx-page')).length).toBe(pages);
      }
    }
    const csv = spawnSync(soffice,
      ['--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,false,false,false,-1', path, '--outdir',
        out], { encoding: 'utf8', timeout: 120_000 });
    expect(csv.status).toBe(0);
    const lines = readFileSync(join(out, 'pack-Summary.csv'), 'utf8').split('\n');
    expect(lines[3]).toMatch(/^Period,Cur,Invoice,Effective/);
    const billed = Number(lines[4]!.split(',')[2]!.replace(/"/g, ''));
    expect(billed).toBeCloseTo(invoiceTotal, 6);
  }, 180_000);

  it('the HTML pack is self-contained, has the four charts, and renders in headless Chromium', () => {
    const html = cfoHtml(pack);
    expect(html.match(/<svg /g)).toHaveLength(4);
    // every chart has a value axis from zero, with labelled ticks and its unit
    const charts = html.split('<figure>').slice(1);
    for (const chart of charts) {
      expect(chart).toContain('<g class="axis">');
      expect(chart).toMatch(/text-anchor="end">0(\.0+)?<\/text>/);
      expect(chart).toMatch(/rotate\(-90[^>]*>USD/);
    }
    for (const id of ['summary', 'figures', 'unit-economics', 'allocation', 'chargeback', 'reconciliation', 'variance', 'data-quality',
      'assumptions-and-rules']) expect(html).toContain(`<section id="${id}">`);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
    const chromium = findTool(['chromium', 'chromium-browser', 'google-chrome']);
    if (!chromium) return;
    const path = join(dir, 'pack.html');
    writeCfoHtml(pack, path);
    const dom = spawnSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${path}`],
      { encoding: 'utf8', timeout: 120_000 });
    expect(dom.status).toBe(0);
    expect(dom.stdout).toContain('AI spend, CFO pack for 2026-10');
    expect((dom.stdout.match(/<svg /g) ?? []).length).toBe(4);
    mkdirSync(SHOTS, { recursive: true });
    const shot = join(SHOTS, 'html.png');
    spawnSync(chromium,
      ['--headless', '--no-sandbox', '--disable-gpu', `--screenshot=${shot}`, '--window-size=1200,1600', `file://${path}`],
      { timeout: 120_000 });
    expect(existsSync(shot) && statSync(shot).size > 20_000).toBe(true);
  }, 180_000);
});
