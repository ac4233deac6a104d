/**
 * The CFO pack as a spreadsheet (exceljs): one sheet per section, a title row, the table with numbers as
 * numbers (money with its currency's format, percentages as percentages), notes under it. Exact decimals
 * stay in the JSON/CSV reports; the spreadsheet carries them to the cent for money and as rates otherwise.
 */
import ExcelJS from 'exceljs';
import type { Column, Report } from '../report/render.js';
import type { CfoPack } from './cfo-pack.js';

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
    const width = Math.max(c.label.length, ...report.rows.slice(0, 200).map((row) => String(row[c.key] ?? '').length));
    ws.getColumn(i + 1).width = Math.min(60, Math.max(10, width + 2));
  });
  ws.views = [{ state: 'frozen', ySplit: 4 }];
}

export async function writeCfoXlsx(pack: CfoPack, path: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tokenledger';
  wb.title = pack.title;
  for (const s of pack.sections) addSheet(wb, s.sheet, s.report, `${pack.title}: ${s.sheet}`);
  await wb.xlsx.writeFile(path);
}
