/**
 * Model names in telemetry, normalized like billing models: "gpt-4o-2024-11-20" is model gpt-4o, version
 * 1120 (the MMDD that Azure meters carry). Every reader uses this one expression.
 */

const DATED = "'-(\\d{4})-(\\d{2})-(\\d{2})$'";

/** SQL for `model` and `model_version` columns from a lowercased raw model expression. */
export function modelColumns(raw: string): string {
  return `regexp_replace(${raw}, ${DATED}, '') AS model, `
    + `CASE WHEN regexp_matches(${raw}, ${DATED}) THEN regexp_extract(${raw}, ${DATED}, 2) || regexp_extract(${raw}, ${DATED}, 3) END AS model_version`;
}
