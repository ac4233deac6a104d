/**
 * The Ledger: what every view reads. It stands over the store, the configuration and a scope, and
 * hands out the ledger's relations (charges, allocation, the economics ledger, data status) with the
 * scope applied in this one place. Reports take a Ledger, never a raw Store, so they cannot forget the
 * scope, cannot write, and cannot read a stale allocation:
 *
 * 1. `query` shadows every scoped relation (scope.ts) in the statement's WITH clause.
 * 2. The first statement that reads the stored allocation (alloc_rows, alloc_month, alloc_daily, alloc_charges)
 *    checks that it was built from the ledger as it is now; if not, it fails with the command to run.
 *    Reads never rebuild it: the commands that change its inputs do (ingest, reclassify, allocate).
 * 3. `economics` is the economics ledger of a set of months in a cost basis, with tokenledger.yaml's
 *    units, classes and sharing rules, and the scope applied to its result.
 */
import { allocationState } from '../allocate/materialize.js';
import { economicsSql } from '../allocate/economics.js';
import { dataStatus, statusOptions, type DataStatus } from '../check/status.js';
import type { Config } from '../config/config.js';
import type { EconomicsConfig } from '../config/economics.js';
import { costColumn, type CostBasis } from '../domain/cost-basis.js';
import type { MonthFigures } from '../domain/figures.js';
import { UNALLOCATED } from '../domain/allocation.js';
import { ExitCode, TokenledgerError, UsageError } from '../domain/errors.js';
import type { Period } from '../domain/period.js';
import type { Row, Store } from '../store/db.js';
import { oncePerReadOnlyStore } from '../store/read-once.js';
import { loadSql } from '../store/db.js';
import { code, fill, inPeriod, join, Sql, sql } from '../store/sql.js';
import { economicsScopeSql, isScoped, scopeShadows, withShadows, type Scope } from './scope.js';

const FIGURES_SQL = loadSql(import.meta.url, 'figures.sql');
const READS_ALLOCATION = /\b(?:main\.)?alloc_(?:rows|month|daily|charges)\b/;

/** The stored allocation was built from other data than the ledger holds now. */
export class StaleAllocationError extends TokenledgerError {
  constructor(detail: string, storePath: string) {
    super(`the stored allocation is out of date: ${detail}`, {
      exitCode: ExitCode.Store,
      hint: `Run \`tokenledger allocate --store ${storePath}\` to rebuild it (every ingest, reclassify and allocate does this ` +
        'unless --no-allocate; an ingest interrupted before its rebuild leaves it stale).',
    });
    this.name = 'StaleAllocationError';
  }
}

/** The allocation's freshness, asked once per read-only store (store/read-once.ts): a report's scoped ledgers share it. */
const freshness = oncePerReadOnlyStore((store: Store) => allocationState(store), () => '');

export class Ledger {
  private allocationChecked = false;
  private readonly shadows: Sql | null;

  constructor(
    readonly store: Store,
    readonly config: Config,
    readonly scope: Scope = {},
  ) {
    this.shadows = scopeShadows(scope);
  }

  get scoped(): boolean {
    return isScoped(this.scope);
  }

  /** tokenledger.yaml's unit types, event columns, cost classes and sharing rules. */
  get economicsConfig(): EconomicsConfig {
    const c = this.config;
    return { units: c.units, events: c.events, cost_classes: c.cost_classes, sharing: c.sharing };
  }

  /** The cost basis reports use when the request does not say (tokenledger.yaml reports.cost, else effective). */
  get defaultCostBasis(): CostBasis {
    return this.config.reports?.cost ?? 'effective';
  }

  /** Run one statement over the ledger as the scope sees it. */
  async query<T extends Row = Row>(statement: Sql | string): Promise<T[]> {
    return this.store.query<T>(await this.prepare(statement));
  }

  /** Write a query's result to a file (Parquet or CSV with a header), as the scope sees it. */
  async copy(select: Sql | string, path: string, format: 'parquet' | 'csv'): Promise<void> {
    const options = code(format === 'parquet' ? '(FORMAT parquet)' : '(FORMAT csv, HEADER true)');
    await this.store.query(sql`COPY (${await this.prepare(select)}) TO ${path} ${options}`);
  }

  /** A statement as the scope sees it, once the stored allocation it reads (if any) is known to be current. */
  private async prepare(statement: Sql | string): Promise<Sql> {
    const q = typeof statement === 'string' ? new Sql(statement) : statement;
    if (!this.allocationChecked && READS_ALLOCATION.test(q.text)) await this.requireFreshAllocation();
    return withShadows(q, this.shadows);
  }

  /** Fails with the command to run when the stored allocation does not match the ledger. */
  async requireFreshAllocation(): Promise<void> {
    const state = await freshness(this.store, undefined);
    if (!state.fresh) throw new StaleAllocationError(state.reason, this.store.path);
    this.allocationChecked = true;
  }

  /**
   * The economics ledger's WITH clause over the months of `period` in `costBasis` (append a SELECT over
   * econ, unit_costs, ev, am, shared); its results are cut to the scope.
   */
  economics(period: Period, costBasis: CostBasis): Sql {
    return economicsSql({ period, costBasis, economics: this.economicsConfig, scope: economicsScopeSql(this.scope) });
  }

  /**
   * The headline figures per month and currency of the whole months of `period` (domain/figures.ts), in
   * a cost basis: the invoice, the month's spend and how it splits, every figure defined once, here.
   */
  async figures(period: Period, costBasis: CostBasis): Promise<MonthFigures[]> {
    const rows = await this.query<Omit<MonthFigures, 'cost_basis'>>(join([this.economics(period, costBasis), fill(FIGURES_SQL, {
      WHERE_BILLING: inPeriod(code('BillingPeriodStart'), period), WHERE_CHARGE: inPeriod(code('charge_day'), period, 'DATE'),
      COST: code(costColumn(costBasis)), SCOPE: economicsScopeSql(this.scope),
    })], '\n'));
    return rows.map((r) => ({ ...r, cost_basis: costBasis }));
  }

  /**
   * Fail with the known values when a unit type or feature named by the user is not in the ledger
   * (a typo would otherwise give an empty table). Units: the business events' unit types; features:
   * those allocation or events name. `__unallocated__` is always a feature here.
   */
  async requireKnown(kind: 'unit' | 'feature', value: string, flag: string): Promise<void> {
    const q = kind === 'unit'
      ? 'SELECT DISTINCT unit AS v FROM event_rows WHERE unit IS NOT NULL ORDER BY 1'
      : 'SELECT DISTINCT feature AS v FROM (SELECT feature FROM alloc_daily UNION SELECT feature FROM event_rows)'
        + ' WHERE feature IS NOT NULL ORDER BY 1';
    const known = (await this.query<{ v: string }>(q)).map((r) => r.v);
    if (kind === 'feature') known.push(UNALLOCATED);
    const wanted = kind === 'unit' ? value.toLowerCase() : value;
    if (known.includes(wanted)) return;
    const none = kind === 'unit' ? 'No business events yet: `tokenledger ingest events DIR`.' : undefined;
    throw new UsageError(`${flag} ${value}: no such ${kind === 'unit' ? 'unit type' : 'feature'} in the ledger`,
      known.length ? `Known: ${known.join(', ')}.` : none);
  }

  /** The data status line and its problems for a period, judged against `today`. */
  status(period: Period, today: string): Promise<DataStatus> {
    return dataStatus(this.store, period, statusOptions(this.config, today));
  }
}
