/**
 * The spreadsheet formula guard for every CSV tokenledger writes (OWASP "CSV injection"): a text cell
 * that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula when finance opens
 * the file in Excel or LibreOffice (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`). Such a cell is written with a
 * leading apostrophe, which spreadsheets show as text and never evaluate. Numbers are never guarded (a
 * negative amount stays a number); `--raw-csv` turns the guard off for machine consumers.
 */

/** The characters a spreadsheet reads as the start of a formula. */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** The same test as a regular expression for DuckDB's `regexp_matches` (RE2 syntax). */
export const FORMULA_START_RE2 = '^[=+\\-@\\t\\r]';

/** A text cell as it is safe to put in a CSV that a spreadsheet may open. */
export function guardCsvText(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}
