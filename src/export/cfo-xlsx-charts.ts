/**
 * Native Excel charts in the CFO pack's spreadsheet. exceljs writes cells, formats and page setup but no
 * charts, so the pack's "Charts" sheet gets its data tables from exceljs and its four charts (cost trend,
 * cost per unit, allocation by feature, variance waterfall) as DrawingML chart parts added to the written
 * file: real charts that Excel and LibreOffice draw from the sheet's cells, with titled axes in the
 * currency, gridlines, and bars from zero (a waterfall is a stacked column whose first series is invisible).
 *
 * 1. `addChartSheet` writes the data tables and returns where each chart's ranges are.
 * 2. `insertCharts` opens the written .xlsx (a zip), adds xl/charts/chartN.xml, one drawing anchoring them
 *    on the sheet, the relationships and the content types.
 */
import type ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { groupThousands } from '../domain/decimal.js';
import type { PackCharts } from './cfo-charts.js';

export const CHART_SHEET = 'Charts';

interface Series { name: string; nameRef: string; valRef: string; values: (number | null)[]; color: string; points?: string[] }
export interface ChartSpec {
  kind: 'bar' | 'line' | 'waterfall';
  title: string;
  xTitle: string;
  yTitle: string;
  catRef: string;
  cats: string[];
  series: Series[];
  fromZero: boolean;
  anchor: { col: number; row: number };
}

const COLORS = ['3B6EA5', 'D9822B', '3F8F4F', 'A33B3B', '7A5EA8'];
const ref = (col: number, row: number) => `'${CHART_SHEET}'!$${String.fromCharCode(65 + col)}$${row}`;
const range = (col: number, from: number, to: number) => `${ref(col, from)}:$${String.fromCharCode(65 + col)}$${to}`;

/** 1. The data tables of the four charts on the Charts sheet; what each chart reads. */
export function addChartSheet(wb: ExcelJS.Workbook, charts: PackCharts, heading: string): ChartSpec[] {
  const ws = wb.addWorksheet(CHART_SHEET);
  ws.addRow([heading]).font = { bold: true, size: 14 };
  ws.addRow(['The charts read the tables on the left; amounts in ' + charts.currency + '. The other sheets carry the exact figures.']);
  const specs: ChartSpec[] = [];
  const money = `#,##0.00 "${charts.currency.replace(/"/g, '')}"`;
  const table = (header: string[], rows: (string | number | null)[][], formats: (string | null)[]) => {
    ws.addRow([]);
    const h = ws.addRow(header);
    h.font = { bold: true };
    const first = h.number + 1;
    for (const r of rows) {
      const row = ws.addRow(r);
      formats.forEach((f, i) => { if (f) row.getCell(i + 1).numFmt = f; });
    }
    return { header: h.number, first, last: first + rows.length - 1 };
  };
  // 2x2 grid of charts to the right of the tables (columns G to W), 20 rows each
  const at = (k: number) => ({ col: 6 + (k % 2) * 9, row: 2 + Math.floor(k / 2) * 21 });
  const t = table(['Billing period', `EffectiveCost (${charts.currency})`], charts.trend.bars.map((b) => [b.label, b.value]),
    [null, money]);
  specs.push({ kind: 'bar', title: charts.trend.title, xTitle: 'Billing period', yTitle: charts.currency, catRef: range(0, t.first, t.last),
    cats: charts.trend.bars.map((b) => b.label), fromZero: charts.trend.bars.every((b) => b.value >= 0), anchor: at(0),
    series: [{ name: 'EffectiveCost', nameRef: ref(1, t.header), valRef: range(1, t.first, t.last),
      values: charts.trend.bars.map((b) => b.value), color: COLORS[0]! }] });
  const u = charts.unitCost;
  const ut = table(['Month', ...u.series.map((s) => s.name)], u.xs.map((m, i) => [m, ...u.series.map((s) => s.values[i] ?? null)]),
    [null, ...u.series.map(() => '0.0000')]);
  specs.push({ kind: 'line', title: u.title, xTitle: 'Month', yTitle: u.unit, catRef: range(0, ut.first, ut.last), cats: u.xs,
    fromZero: true, anchor: at(1), series: u.series.map((s, k) => ({ name: s.name, nameRef: ref(1 + k, ut.header),
      valRef: range(1 + k, ut.first, ut.last), values: s.values, color: COLORS[k % COLORS.length]! })) });
  const a = charts.allocation;
  const at2 = table(['Feature', `Cost (${charts.currency})`], a.bars.map((b) => [b.label, b.value]), [null, money]);
  specs.push({ kind: 'bar', title: a.title, xTitle: 'Feature', yTitle: charts.currency, catRef: range(0, at2.first, at2.last),
    cats: a.bars.map((b) => b.label), fromZero: a.bars.every((b) => b.value >= 0), anchor: at(2),
    series: [{ name: 'Cost', nameRef: ref(1, at2.header), valRef: range(1, at2.first, at2.last), values: a.bars.map((b) => b.value),
      color: COLORS[0]! }] });
  const w = charts.waterfall;
  if (w) {
    // the label says the signed amount; the visible bar spans from where the last step ended to where this one ends
    const labels = w.steps.map((s) => `${s.label} ${s.total ? '' : s.value >= 0 ? '+' : '-'}` +
      `${groupThousands(Math.abs(s.value).toFixed(0))}`);
    const base = w.steps.map((s) => Math.min(s.from, s.to));
    const span = w.steps.map((s) => Math.abs(s.to - s.from));
    const wt = table(['Step', 'Start', 'Amount', `Change (${charts.currency})`],
      w.steps.map((s, i) => [labels[i]!, base[i]!, span[i]!, s.value]), [null, money, money, money]);
    specs.push({ kind: 'waterfall', title: w.title, xTitle: 'Step', yTitle: charts.currency, catRef: range(0, wt.first, wt.last),
      cats: labels, fromZero: base.every((b) => b >= 0), anchor: at(3), series: [
        { name: 'Start', nameRef: ref(1, wt.header), valRef: range(1, wt.first, wt.last), values: base, color: 'FFFFFF' },
        { name: 'Amount', nameRef: ref(2, wt.header), valRef: range(2, wt.first, wt.last), values: span, color: COLORS[0]!,
          points: w.steps.map((s) => (s.total ? '3B6EA5' : s.value >= 0 ? 'A33B3B' : '3F8F4F')) },
      ] });
  }
  ws.getColumn(1).width = 24;
  for (let c = 2; c <= 6; c++) ws.getColumn(c).width = 16;
  ws.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 1, paperSize: 9 };
  return specs;
}

const x = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const rich = (text: string, size: number, bold: boolean) => `<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="${size}" ` +
  `b="${bold ? 1 : 0}"/></a:pPr><a:r><a:rPr lang="en-US" sz="${size}" b="${bold ? 1 : 0}"/><a:t>${x(text)}</a:t></a:r></a:p>` +
  '</c:rich></c:tx>';
const title = (text: string, size = 1000, bold = false) => `<c:title>${rich(text, size, bold)}<c:overlay val="0"/></c:title>`;
const strCache = (vals: string[]) => `<c:strCache><c:ptCount val="${vals.length}"/>${vals.map((v, i) =>
  `<c:pt idx="${i}"><c:v>${x(v)}</c:v></c:pt>`).join('')}</c:strCache>`;
const numCache = (vals: (number | null)[]) => `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${vals.length}"/>${vals.map(
  (v, i) => (v === null ? '' : `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`)).join('')}</c:numCache>`;
const fill = (color: string, none = false) => `<c:spPr>${none ? '<a:noFill/><a:ln><a:noFill/></a:ln>'
  : `<a:solidFill><a:srgbClr val="${color}"/></a:solidFill>`}</c:spPr>`;

function seriesXml(s: Series, k: number, spec: ChartSpec): string {
  const invisible = spec.kind === 'waterfall' && k === 0;
  const line = spec.kind === 'line';
  const sp = line ? `<c:spPr><a:ln w="28575"><a:solidFill><a:srgbClr val="${s.color}"/></a:solidFill></a:ln></c:spPr>` +
    `<c:marker><c:symbol val="circle"/><c:size val="6"/></c:marker>` : `${fill(s.color, invisible)}<c:invertIfNegative val="0"/>`;
  const points = (s.points ?? []).map((p, i) => `<c:dPt><c:idx val="${i}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>` +
    `${fill(p)}</c:dPt>`).join('');
  const labels = invisible || spec.kind === 'waterfall' ? '' : `<c:dLbls><c:numFmt formatCode="${line ? '0.0000' : '#,##0'}" ` +
    `sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:showLegendKey val="0"/><c:showVal val="1"/>` +
    `<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>`;
  return `<c:ser><c:idx val="${k}"/><c:order val="${k}"/><c:tx><c:strRef><c:f>${x(s.nameRef)}</c:f>${strCache([s.name])}</c:strRef></c:tx>`
    + `${sp}${points}${labels}<c:cat><c:strRef><c:f>${x(spec.catRef)}</c:f>${strCache(spec.cats)}</c:strRef></c:cat>`
    + `<c:val><c:numRef><c:f>${x(s.valRef)}</c:f>${numCache(s.values)}</c:numRef></c:val>${line ? '<c:smooth val="0"/>' : ''}</c:ser>`;
}

/** One chart part: a column, line or waterfall chart with a titled category axis and value axis. */
export function chartXml(spec: ChartSpec): string {
  const series = spec.series.map((s, k) => seriesXml(s, k, spec)).join('');
  const plot = spec.kind === 'line'
    ? `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>` +
      `<c:axId val="501"/><c:axId val="502"/></c:lineChart>`
    : `<c:barChart><c:barDir val="col"/><c:grouping val="${spec.kind === 'waterfall' ? 'stacked' : 'clustered'}"/><c:varyColors val="0"/>` +
      `${series}<c:gapWidth val="60"/>${spec.kind === 'waterfall' ? '<c:overlap val="100"/>' : ''}<c:axId val="501"/><c:axId val="502"/>` +
      `</c:barChart>`;
  const catAx = `<c:catAx><c:axId val="501"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>` +
    `${title(spec.xTitle)}<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>` +
    `<c:tickLblPos val="low"/><c:crossAx val="502"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>` +
    `<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`;
  const valAx = `<c:valAx><c:axId val="502"/><c:scaling><c:orientation val="minMax"/>${spec.fromZero ? '<c:min val="0"/>' : ''}` +
    '</c:scaling>' +
    `<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines><c:spPr><a:ln><a:solidFill><a:srgbClr val="DDDDEE"/></a:solidFill></a:ln>` +
    `</c:spPr></c:majorGridlines>${title(spec.yTitle)}<c:numFmt formatCode="${spec.kind === 'line' ? '0.00##' : '#,##0'}" ` +
    `sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="501"/>` +
    `<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`;
  const legend = spec.kind === 'line' ? '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend>' : '';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/` +
    `chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/` +
    `2006/relationships"><c:roundedCorners val="0"/><c:chart>${title(spec.title, 1200, true)}<c:autoTitleDeleted val="0"/><c:plotArea>` +
    `<c:layout/>${plot}${catAx}${valAx}</c:plotArea>${legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`;
}

const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

function anchorXml(spec: ChartSpec, k: number): string {
  const cell = (col: number, row: number) => `<xdr:col>${col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row}</xdr:row>` +
    `<xdr:rowOff>0</xdr:rowOff>`;
  return `<xdr:twoCellAnchor editAs="oneCell"><xdr:from>${cell(spec.anchor.col, spec.anchor.row)}</xdr:from><xdr:to>` +
    `${cell(spec.anchor.col + 9, spec.anchor.row + 20)}</xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>` +
    `<xdr:cNvPr id="${k + 2}" name="Chart ${k + 1}" descr="${x(spec.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/` +
    `drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="${NS_REL}" ` +
    `r:id="rIdChart${k + 1}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`;
}

/** The worksheet part of a sheet, through the workbook and its relationships. */
async function sheetPart(zip: JSZip, name: string): Promise<string> {
  const wbXml = await zip.file('xl/workbook.xml')!.async('string');
  const rid = new RegExp(`<sheet [^>]*name="${name}"[^>]*r:id="([^"]+)"`).exec(wbXml)?.[1];
  const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
  const target = rid ? new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1]
    ?? new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)?.[1] : undefined;
  if (!target) throw new Error(`the workbook has no sheet ${name}`);
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

/** 2. Add the charts to the written workbook, anchored on the Charts sheet. */
export async function insertCharts(xlsx: Buffer, specs: ChartSpec[]): Promise<Buffer> {
  if (!specs.length) return xlsx;
  const zip = await JSZip.loadAsync(xlsx);
  const sheet = await sheetPart(zip, CHART_SHEET);
  specs.forEach((s, k) => zip.file(`xl/charts/chart${k + 1}.xml`, chartXml(s)));
  zip.file('xl/drawings/drawing1.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="http://schemas.` +
    `openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">` +
    `${specs.map(anchorXml).join('')}</xdr:wsDr>`);
  zip.file('xl/drawings/_rels/drawing1.xml.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships ` +
    `xmlns="${NS_PKG}">${specs.map((_, k) => `<Relationship Id="rIdChart${k + 1}" Type="${NS_REL}/chart" ` +
    `Target="../charts/chart${k + 1}.xml"/>`).join('')}</Relationships>`);
  const relsPath = sheet.replace(/([^/]+)$/, '_rels/$1.rels');
  const drawingRel = `<Relationship Id="rIdTlDrawing" Type="${NS_REL}/drawing" Target="../drawings/drawing1.xml"/>`;
  const existing = await zip.file(relsPath)?.async('string');
  zip.file(relsPath, existing ? existing.replace('</Relationships>', `${drawingRel}</Relationships>`)
    : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS_PKG}">${drawingRel}</Relationships>`);
  let ws = await zip.file(sheet)!.async('string');
  if (!/xmlns:r=/.test(ws.slice(0, 600))) ws = ws.replace('<worksheet ', `<worksheet xmlns:r="${NS_REL}" `);
  // CT_Worksheet order: the drawing comes after the page setup and before legacy drawings, tables and extensions
  const before = ['<legacyDrawing', '<legacyDrawingHF', '<picture', '<oleObjects', '<tableParts', '<extLst', '</worksheet>']
    .map((t) => ws.indexOf(t)).filter((i) => i >= 0);
  const at = Math.min(...before);
  ws = `${ws.slice(0, at)}<drawing r:id="rIdTlDrawing"/>${ws.slice(at)}`;
  zip.file(sheet, ws);
  let types = await zip.file('[Content_Types].xml')!.async('string');
  types = types.replace('</Types>', '<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-' +
    'officedocument.drawing+xml"/>' + specs.map((_, k) => `<Override PartName="/xl/charts/chart${k + 1}.xml" ContentType="application/` +
    'vnd.openxmlformats-officedocument.drawingml.chart+xml"/>').join('') + '</Types>');
  zip.file('[Content_Types].xml', types);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
