/**
 * A JSON reader that remembers where things are: capacity snapshots are single JSON documents (an ARM list
 * response, a Prometheus query_range answer), and a bad record must be named by its line, which JSON.parse
 * cannot say. Numbers keep their source text (`JsonNum`), so a limit or a utilization reaches DuckDB as the
 * decimal the file wrote, never through a float.
 *
 * 1. One pass over the text, recursive descent, tracking the line (a \n ends a line; a BOM is skipped).
 * 2. Every object and array records the line it starts on (`lineOf`).
 * 3. A syntax error is an InputError naming the file and the line of the offending character.
 */
import { InputError } from '../../domain/errors.js';

/** A number as written in the file. */
export class JsonNum {
  constructor(readonly text: string) {}
}

export type Json = null | boolean | string | JsonNum | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

const LINES = new WeakMap<object, number>();

/** The line an object or array starts on (1 when unknown). */
export function lineOf(v: Json | undefined): number {
  return v !== null && typeof v === 'object' && !(v instanceof JsonNum) ? (LINES.get(v) ?? 1) : 1;
}

export function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNum);
}

export function parseLocatedJson(text: string, file: string): Json {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const fail = (what: string): never => {
    throw new InputError({ file, line }, `not valid JSON: ${what}`);
  };
  const ws = () => {
    for (;;) {
      const c = text[i];
      if (c === '\n') line += 1;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      i += 1;
    }
  };
  const str = (): string => {
    i += 1;
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') fail('a string is not closed');
      if (c === '"') { i += 1; return out; }
      if (c === '\\') {
        const e = text[i + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`bad escape \\u${hex}`);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && map[e] !== undefined) {
          out += map[e];
          i += 2;
        } else fail(`bad escape \\${e ?? ''}`);
        continue;
      }
      out += c;
      i += 1;
    }
  };
  const value = (): Json => {
    ws();
    const c = text[i];
    const start = line;
    if (c === '{') {
      i += 1;
      const o: JsonObject = {};
      LINES.set(o, start);
      ws();
      if (text[i] === '}') { i += 1; return o; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name in double quotes');
        const k = str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after "${k}"`);
        i += 1;
        // as JSON.parse does: a key named __proto__ is an own property, never the object's prototype
        Object.defineProperty(o, k, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') { i += 1; continue; }
        if (text[i] === '}') { i += 1; return o; }
        fail(`expected ',' or '}' after "${k}"`);
      }
    }
    if (c === '[') {
      i += 1;
      const a: Json[] = [];
      LINES.set(a, start);
      ws();
      if (text[i] === ']') { i += 1; return a; }
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ',') { i += 1; continue; }
        if (text[i] === ']') { i += 1; return a; }
        fail("expected ',' or ']' in an array");
      }
    }
    if (c === '"') return str();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (m) { i += m[0].length; return new JsonNum(m[0]); }
    for (const [w, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(w, i)) { i += w.length; return v; }
    }
    return fail(c === undefined ? 'the document ends too early' : `unexpected ${JSON.stringify(c)}`);
  };
  const doc = value();
  ws();
  if (i < text.length) fail('text after the end of the document');
  return doc;
}
