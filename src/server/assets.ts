/**
 * The dashboard's one stylesheet, served by the server itself at /assets/app.css (nothing from a CDN;
 * the pages work offline). Charts are inline SVG drawn on the server (charts.ts), so the page needs
 * no script at all and the Content-Security-Policy allows none but this server's.
 */
export const APP_CSS = `
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dde5; --bg: #f6f7f9; --accent: #1f5fbf; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.2rem; background: #fff;
  border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; }
header.top nav a { margin-right: .9rem; color: var(--accent); text-decoration: none; }
header.top nav a.here { font-weight: 700; color: var(--ink); }
header.top .who { margin-left: auto; color: var(--muted); }
header.top form { display: inline; }
main { max-width: 1320px; margin: 0 auto; padding: 1rem 1.2rem 3rem; }
h1 { font-size: 1.35rem; margin: .6rem 0; }
h2 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
.banner { padding: .55rem .8rem; border-radius: 4px; border: 1px solid var(--line); background: #fff; margin: .6rem 0; }
.banner.warn { border-color: #e2c27a; background: #fff8e6; color: var(--warn); }
.banner.bad { border-color: #e3a19c; background: #fdeeed; color: var(--bad); }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: .8rem 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .7rem 1rem; min-width: 190px; }
.card .label { color: var(--muted); font-size: .85rem; }
.card .value { font-size: 1.35rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.card.estimated { border-style: dashed; border-color: #e2c27a; background: #fffdf6; }
.card.estimated .value { font-style: italic; color: var(--warn); }
table.data { border-collapse: collapse; background: #fff; width: 100%; font-variant-numeric: tabular-nums; }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
table.data th { background: #eef1f5; font-weight: 600; }
table.data td.num, table.data th.num { text-align: right; white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; background: #fff; border: 1px solid var(--line);
  border-radius: 6px; padding: .6rem .8rem; }
form.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
form.filters input, form.filters select { font: inherit; padding: .2rem .3rem; }
figure.chart { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: .8rem 0; padding: .6rem; }
figure.chart figcaption { color: var(--muted); font-size: .85rem; margin-bottom: .3rem; }
figure.chart svg { max-width: 100%; height: auto; }
.notes { color: var(--muted); font-size: .85rem; }
.notes li { margin: .2rem 0; }
.signin { max-width: 420px; margin: 4rem auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1.2rem; }
.signin input { width: 100%; font: inherit; padding: .4rem; margin: .4rem 0 .8rem; }
.signin .or { color: #666; text-align: center; margin: .8rem 0; }
.signin a.button { display: block; text-align: center; padding: .5rem; border: 1px solid var(--line); border-radius: 4px;
  text-decoration: none; }
.error { color: var(--bad); }
.tl-plot { --plot-background: white; display: block; height: auto; max-width: 100%; }
.tl-plot text, .tl-plot tspan { white-space: pre; }
.tl-plot-swatches { display: flex; flex-wrap: wrap; align-items: center; min-height: 33px; font: 10px system-ui, sans-serif; }
.tl-plot-swatch { display: inline-flex; align-items: center; margin-right: 1em; }
.tl-plot-swatch > svg { margin-right: .5em; overflow: visible; }
figure.tl-plot { margin: 0; }
abbr.id { text-decoration: none; border-bottom: 1px dotted var(--muted); cursor: help; }
form.label { display: inline-flex; gap: .25rem; margin: 0; }
form.label button { font-size: .8rem; padding: .05rem .35rem; }
table.data tr.has-detail td { border-bottom: none; }
table.data tr.detail td { font-size: .85rem; color: var(--muted); padding-top: 0; }
table.data tr.detail .detail { display: block; }
table.data tr.detail .detail-label { font-weight: 600; }
table.data td.actions, table.data td.date { white-space: nowrap; }
form.label button[aria-pressed=true] { font-weight: bold; outline: 2px solid var(--muted); }
`;
