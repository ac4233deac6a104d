/**
 * The one shape every source of data has (FOCUS billing exports, token telemetry, business events), so that
 * they stand side by side: a kind (what `ingestions.kind` says), a line describing what it reads, its
 * formats, and `ingest`, which takes paths and answers one outcome line per file or export. Each source's
 * folder implements it over the tools of ingest/common; no source imports from another's folder. What every
 * source guarantees (one transaction per command, same content again is a no-op, a bad record is an
 * InputError naming file and line and leaves the store as it was, lineage on every row) is held to by one
 * suite, conformance.case.ts, that each source's conformance.test.ts runs for each of its formats.
 */
import type { Store } from '../../store/db.js';
import type { IngestionKind } from './ledger-log.js';

export type { IngestionKind } from './ledger-log.js';

/** What an ingest says about one file (or export folder) of a command. */
export interface OutcomeLine {
  /** The file or export folder, as given or found. */
  source: string;
  /** `skipped`: the same content is in the store already (or, for billing, a newer export is). */
  action: 'ingested' | 'skipped';
  /** The ingestion holding the content: the new one, or the earlier one it was skipped for. */
  ingestionId: string;
  /** Rows written by this command (0 when skipped). */
  rows: number;
  /** One human line: periods, formats, what was replaced or why it was skipped. */
  detail: string;
}

/** A source of data: everything the CLI (and the conformance suite) needs to know about it. */
export interface Source<Options, Outcome extends OutcomeLine = OutcomeLine> {
  readonly kind: IngestionKind;
  /** One line: what this source reads, for help texts and docs. */
  readonly describe: string;
  /** The formats it reads (detected, or named by an option). */
  readonly formats: readonly string[];
  /**
   * Ingest the files under `paths` in one transaction, after numbering any rows an interrupted command
   * left unnumbered (healPendingRows); every row keeps its lineage; bad input throws an InputError.
   */
  ingest(store: Store, paths: string[], options: Options): Promise<Outcome[]>;
}
