/**
 * SQL as text plus parameters, never as text with values in it. Every statement the tool runs is built
 * here: `sql` (a tagged template) turns each interpolated value into a named parameter and splices
 * interpolated fragments with their parameters; `fill` puts fragments into the /*NAME*\/ placeholders of
 * a .sql file. Query text is code; a path, a date, a tag value or a config literal only ever travels as
 * a parameter, so no quote, `$` or `--` in it can change what a statement means.
 *
 *   sql`SELECT * FROM charges WHERE BillingCurrency = ${currency} AND ${inPeriod(col('ChargePeriodStart'), p)}`
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { Period } from '../domain/period.js';

/** A value that becomes a parameter. */
export type SqlValue = DuckDBValue;

/** A piece of SQL: its text, and the values its `$name` parameters stand for. */
export class Sql {
  /** Use `sql`, `fill`, `code`, `ident` or `list` rather than this constructor. */
  constructor(
    readonly text: string,
    readonly params: Readonly<Record<string, SqlValue>> = {},
  ) {}

  /** A fragment is not text: `+` or a template string would drop its parameters, so that is a bug. */
  toString(): string {
    throw new Error(`an Sql fragment was used as text (it would lose its parameters): ${this.text.slice(0, 80)}`);
  }
}

let counter = 0;
/** A fresh parameter name; unique in the process, so fragments can be combined freely. */
function paramName(): string {
  counter += 1;
  return `p${counter}`;
}

function isSql(x: unknown): x is Sql {
  return x instanceof Sql;
}

/** Tagged template: values become parameters, `Sql` fragments are spliced with their parameters. */
export function sql(strings: TemplateStringsArray, ...parts: (Sql | SqlValue)[]): Sql {
  let text = strings[0] ?? '';
  const params: Record<string, SqlValue> = {};
  parts.forEach((part, i) => {
    if (isSql(part)) {
      text += part.text;
      Object.assign(params, part.params);
    } else {
      const name = paramName();
      params[name] = part;
      text += `$${name}`;
    }
    text += strings[i + 1] ?? '';
  });
  return new Sql(text, params);
}

/** One value as a parameter (for building lists and CASE expressions). */
export function value(v: SqlValue): Sql {
  return sql`${v}`;
}

/**
 * SQL text written in this program (a column list, an expression, a .sql file): never a value from a
 * user, a file or the configuration. The name says what it vouches for.
 */
export function code(text: string): Sql {
  return new Sql(text);
}

/** A quoted identifier (a column or table name the program chose). */
export function ident(name: string): Sql {
  return new Sql('"' + name.replace(/"/g, '""') + '"');
}

/** Fragments joined by a separator. */
export function join(parts: Sql[], separator: string): Sql {
  const params: Record<string, SqlValue> = {};
  for (const p of parts) Object.assign(params, p.params);
  return new Sql(parts.map((p) => p.text).join(separator), params);
}

/** Values as a comma-separated list of parameters, for IN (...). An empty list is `NULL` (matches nothing). */
export function list(values: SqlValue[]): Sql {
  return values.length ? join(values.map(value), ', ') : code('NULL');
}

/**
 * Fill the /*NAME*\/ placeholders of a template with fragments. Placeholders inside a -- comment are
 * left alone (a fragment may span lines). A placeholder without a fragment is a bug in the caller.
 */
export function fill(template: string, vars: Record<string, Sql>): Sql {
  const params: Record<string, SqlValue> = {};
  const text = template
    .split('\n')
    .map((line) => {
      const cut = line.indexOf('--');
      const body = cut < 0 ? line : line.slice(0, cut);
      const filled = body.replace(/\/\*([A-Z_]+)\*\//g, (whole, name: string) => {
        const v = vars[name];
        if (v === undefined) throw new Error(`SQL template placeholder ${whole} has no value`);
        Object.assign(params, v.params);
        return v.text;
      });
      return cut < 0 ? filled : filled + line.slice(cut);
    })
    .join('\n');
  return new Sql(text, params);
}

/** A condition placing a timestamp (or date) expression in a period: from inclusive, to exclusive. */
export function inPeriod(column: Sql, p: Pick<Period, 'from' | 'to'>, cast: 'TIMESTAMP' | 'DATE' = 'TIMESTAMP'): Sql {
  const parts: Sql[] = [];
  if (p.from) parts.push(sql`${column} >= CAST(${p.from} AS ${code(cast)})`);
  if (p.to) parts.push(sql`${column} < CAST(${p.to} AS ${code(cast)})`);
  return parts.length ? join(parts, ' AND ') : code('true');
}
