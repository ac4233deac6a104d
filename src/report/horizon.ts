/**
 * --horizon of `report forecast`, apart from the forecast engine: the report registry checks it when it builds
 * a request, and loading the engine for that would slow the start of every report.
 */
import { UsageError } from '../domain/errors.js';

export interface Horizon { amount: number; unit: 'm' | 'd'; label: string }

/** --horizon: "3m" (calendar months) or "90d" (days), default 3m. */
export function parseHorizon(v: string | undefined): Horizon {
  const m = /^\s*(\d{1,3})\s*([md])\s*$/i.exec(v ?? '3m');
  const n = m ? Number(m[1]) : 0;
  const unit = m?.[2]?.toLowerCase() as 'm' | 'd' | undefined;
  if (!unit || n < 1 || (unit === 'm' && n > 24) || (unit === 'd' && n > 730))
    throw new UsageError(`--horizon ${v}: expected months such as 3m (1-24) or days such as 90d (1-730)`);
  return { amount: n, unit, label: `${n}${unit}` };
}

