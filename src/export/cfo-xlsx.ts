/**
 * The CFO pack as a spreadsheet (exceljs): one sheet per section, a title row, the table with numbers as
 * numbers (money with its currency's format, percentages as percentages), notes under it. Exact decimals
 * stay in the JSON/CSV reports; the spreadsheet carries them to the cent for money and as rates otherwise.
 */
import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { groupThousands } from '../domain/decimal.js';
import type { Column, Report } from '../report/render.js';
import type { CfoPack } from './cfo-pack.js';
import { packCharts } from './cfo-charts.js';
import { addChartSheet, CHART_SHEET, insertCharts } from './cfo-xlsx-charts.js';

const MONEY = (currency: string) => `#,##0.00 "${currency.replace(/"/g, '')}";-#,##0.00 "${currency.replace(/"/g, '')}"`;

function cellValue(v: unknown, c: Column): string | number | null {
  if (v === null || v === undefined) return null;
  if (['money', 'quantity', 'rate', 'int'].includes(c.kind)) {
    const n = Number(v);
    return Number.isFinite(n) ? n : String(v);
  }
  if (c.kind === 'percent') return Number(v) / 100;
  return Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The text a cell shows with its number format, to size the column. */
function shownText(v: unknown, c: Column, currency: unknown): string {
  if (v === null || v === undefined) return '';
  const n = Number(v);
  if (c.kind === 'money' && Number.isFinite(n)) {
    return `-${groupThousands(Math.abs(n).toFixed(2))} ${typeof currency === 'string' ? currency : 'USD'}`;
  }
  if (c.kind === 'int' && Number.isFinite(n)) return groupThousands(Math.round(n).toFixed(0));
  if (c.kind === 'percent') return '100.0%';
  if (c.kind === 'rate' || c.kind === 'quantity') return Number.isFinite(n) ? n.toFixed(6) : String(v);
  return Array.isArray(v) ? v.join(', ') : String(v);
}

function addSheet(wb: ExcelJS.Workbook, name: string, report: Report, heading: string): void {
  const ws = wb.addWorksheet(name.slice(0, 31));
  ws.addRow([heading]).font = { bold: true, size: 14 };
  ws.addRow([report.title]).font = { italic: true };
  ws.addRow([]);
  const header = ws.addRow(report.columns.map((c) => c.label));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  for (const row of report.rows) {
    const r = ws.addRow(report.columns.map((c) => cellValue(row[c.key], c)));
    const currency = typeof row.currency === 'string' ? row.currency : 'USD';
    report.columns.forEach((c, i) => {
      const cell = r.getCell(i + 1);
      if (c.kind === 'money') cell.numFmt = MONEY(currency);
      else if (c.kind === 'percent') cell.numFmt = '0.0%';
      else if (c.kind === 'int') cell.numFmt = '#,##0';
      else if (c.kind === 'rate') cell.numFmt = '0.000000';
    });
  }
  if (report.notes?.length) {
    ws.addRow([]);
    for (const n of report.notes) ws.addRow([n]);
  }
  report.columns.forEach((c, i) => {
    // as wide as the text a reader sees (money formatted with its currency), so no cell shows ###
    const width = Math.max(c.label.length, ...report.rows.slice(0, 500).map((row) => shownText(row[c.key], c, row.currency).length));
    ws.getColumn(i + 1).width = Math.min(c.kind === 'text' ? 70 : 24, Math.max(8, width + 2));
    if (c.kind !== 'text') header.getCell(i + 1).alignment = { horizontal: 'right', wrapText: true };
  });
  ws.views = [{ state: 'frozen', ySplit: 4 }];
  // printed or saved as PDF: landscape, one page wide, the header row on every page
  ws.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9, printTitlesRow: '4:4' };
}

export async function writeCfoXlsx(pack: CfoPack, path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tokenledger';
  wb.title = pack.title;
  const [first, ...rest] = pack.sections;
  // the summary first, then the charts (native Excel charts over their own data tables), then the rest
  if (first) addSheet(wb, first.sheet, first.report, `${pack.title}: ${first.sheet}`);
  const charts = addChartSheet(wb, packCharts(pack), `${pack.title}: ${CHART_SHEET}`);
  for (const s of rest) addSheet(wb, s.sheet, s.report, `${pack.title}: ${s.sheet}`);
  const written = Buffer.from(await wb.xlsx.writeBuffer());
  writeFileSync(path, await insertCharts(written, charts));
}
