/**
 * HTML built by one tagged template that escapes every interpolated value: data (tag values, feature
 * and model names, file paths) can only ever be text. Markup the program writes is an `Html` value
 * (from `html` itself or `raw` for a chart the chart library drew); arrays are joined; null and
 * undefined are nothing. Nothing else reaches the page unescaped.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

function piece(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(piece).join('');
  return esc(v);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += piece(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup produced by the program (an SVG the chart library drew from escaped text), trusted as is. */
export function raw(text: string): Html {
  return new Html(text);
}

/** A link's query string from parameters (values percent-encoded, empty ones left out). */
export function queryString(params: Record<string, string | string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== '') q.append(k, one);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
