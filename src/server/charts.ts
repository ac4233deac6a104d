/**
 * Charts as inline SVG, drawn on the server by Observable Plot over a jsdom document (Plot renders into
 * any DOM; jsdom is the one its own tests use). The page then needs no script and nothing from a CDN.
 * Every chart has a zero-based value axis with its unit in the label and a caption saying what it
 * shows; text in the SVG (feature or model names) is text nodes, serialized escaped by the DOM. Plot's
 * per-chart <style> is taken out (the Content-Security-Policy allows no inline style); its rules are in
 * app.css under the fixed class `tl-plot`.
 *
 * Values reach Plot as numbers only for drawing: the figures printed on the page come from the
 * report's exact decimals, not from the chart.
 */
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { html, raw, type Html } from './html.js';

let doc: Document | null = null;
function document(): Document {
  doc ??= new JSDOM('<!doctype html><html><body></body></html>').window.document;
  return doc;
}

function svgOf(options: Plot.PlotOptions): string {
  const node = Plot.plot({ ...options, document: document(), className: 'tl-plot', style: null }) as unknown as Element;
  node.querySelectorAll('style').forEach((s) => s.remove());
  node.removeAttribute('style');
  node.querySelectorAll('[style]').forEach((e) => e.removeAttribute('style'));
  return node.outerHTML;
}

export function figure(caption: string, svg: string): Html {
  return html`<figure class="chart"><figcaption>${caption}</figcaption>${raw(svg)}</figure>`;
}

export interface Bar { label: string; value: number; group?: string }

/** Horizontal bars from zero, labelled with their values. */
export function barChart(caption: string, bars: Bar[], unit: string, o: { format?: (v: number) => string } = {}): Html {
  const format = o.format ?? ((v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 }));
  const svg = svgOf({
    width: 900, height: Math.max(120, 28 * bars.length + 60), marginLeft: 220, marginRight: 90,
    x: { label: unit, grid: true, nice: true,
      domain: [Math.min(0, ...bars.map((b) => b.value)), Math.max(0, ...bars.map((b) => b.value))] },
    y: { label: null, domain: bars.map((b) => b.label) },
    marks: [
      Plot.barX(bars, { x: 'value', y: 'label', fill: '#3b6fc4' }),
      Plot.text(bars, { x: 'value', y: 'label', text: (d: Bar) => format(d.value), textAnchor: 'start', dx: 4, fill: 'currentColor' }),
      Plot.ruleX([0]),
    ],
  });
  return figure(caption, svg);
}

export interface Point { x: string; y: number; series: string }

/**
 * A trend: one line per series over ordered x values (months or days), y from zero. Series named in
 * `dashed` (estimates, not invoice figures) are drawn dashed with a marker on every point, so that a single
 * estimated day still shows.
 */
export function lineChart(caption: string, points: Point[], unit: string, o: { dashed?: string[] } = {}): Html {
  const xs = [...new Set(points.map((p) => p.x))].sort();
  const dashed = new Set(o.dashed ?? []);
  const solid = points.filter((p) => !dashed.has(p.series));
  const estimated = points.filter((p) => dashed.has(p.series));
  const svg = svgOf({
    width: 900, height: 300, marginLeft: 70, marginBottom: xs.length > 12 ? 70 : 40,
    x: { type: 'point', domain: xs, label: null, tickRotate: xs.length > 12 ? -45 : 0,
      tickFormat: (d: string, i: number) => (xs.length > 16 && i % Math.ceil(xs.length / 12) !== 0 ? '' : d) },
    y: { label: unit, grid: true, zero: true, nice: true },
    color: { legend: true },
    marks: [
      Plot.line(solid, { x: 'x', y: 'y', stroke: 'series', marker: xs.length <= 12 ? 'circle' : null }),
      ...(estimated.length
        ? [Plot.line(estimated, { x: 'x', y: 'y', stroke: 'series', strokeDasharray: '5,4', marker: 'circle' })]
        : []),
      Plot.ruleY([0]),
    ],
  });
  return figure(caption, svg);
}

export interface Step { label: string; value: number; total?: boolean }

/**
 * A waterfall from zero: totals are bars from zero, steps float from the running sum, each labelled
 * with its signed value. The axis starts at zero (no broken axis), so bar lengths are honest.
 */
export function waterfall(caption: string, steps: Step[], unit: string, format: (v: number) => string): Html {
  let running = 0;
  const bars = steps.map((s) => {
    const from = s.total ? 0 : running;
    const to = s.total ? s.value : running + s.value;
    running = to;
    const kind = s.total ? 'total' : s.value >= 0 ? 'up' : 'down';
    return { label: s.label, y1: from, y2: to, value: s.value, total: Boolean(s.total), kind };
  });
  const svg = svgOf({
    width: 900, height: 320, marginLeft: 80, marginTop: 30,
    x: { domain: bars.map((b) => b.label), label: null, padding: 0.25 },
    y: { label: unit, grid: true, zero: true, nice: true },
    color: { domain: ['total', 'up', 'down'], range: ['#5b6475', '#b3261e', '#2e7d32'], legend: true,
      tickFormat: (k: string) => ({ total: 'total', up: 'increase', down: 'decrease' })[k] ?? k },
    marks: [
      Plot.barY(bars, { x: 'label', y1: 'y1', y2: 'y2', fill: 'kind' }),
      Plot.text(bars, { x: 'label', y: (b: { y1: number; y2: number }) => Math.max(b.y1, b.y2), dy: -8, fill: 'currentColor',
        text: (b: { value: number; total: boolean }) => (b.total ? format(b.value) : `${b.value >= 0 ? '+' : ''}${format(b.value)}`) }),
      Plot.ruleY([0]),
    ],
  });
  return figure(caption, svg);
}
