import type { Dialect } from '../../db/dialect.js';
import type { Transaction } from '../../db/engine.js';
import { FeatureGroupNotFoundError } from '../../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { ValidationReport } from './validate-batch.js';
import type { IngestionResult } from './validation-policy.js';

/** One entry of a feature group's validation history (HSFS ValidationReport with its ingestion result). */
export interface StoredValidationReport {
  fgId: number;
  /** Counts per feature group from 1, in the order reports were saved. */
  id: number;
  /** Epoch milliseconds: when the batch was validated. */
  validatedAt: number;
  success: boolean;
  /** The commit the batch made; null when it was rejected. */
  commitId: number | null;
  ingestionResult: IngestionResult;
  report: ValidationReport;
}

const COLUMNS = 'fg_id, id, validated_at, success, commit_id, ingestion_result, report';

function fromRow(r: unknown[]): StoredValidationReport {
  return {
    fgId: Number(r[0]),
    id: Number(r[1]),
    validatedAt: Number(r[2]),
    success: Number(r[3]) === 1,
    commitId: r[4] === null ? null : Number(r[4]),
    ingestionResult: r[5] as IngestionResult,
    report: JSON.parse(r[6] as string) as ValidationReport,
  };
}

/**
 * The SQL for `fg_validation_reports`, the validation history. Methods take the caller's transaction: an ingested
 * batch's report belongs in the unit that records its commit; a rejected batch's in a unit of its own.
 */
export class ValidationReports {
  constructor(private readonly dialect: Dialect) {}

  /**
   * Records a report and returns its id: one more than the feature group's newest. The feature group's row is
   * locked first, so concurrent saves for the same group take turns instead of picking the same id (and a report
   * for a deleted group fails here, as FeatureGroupNotFoundError).
   */
  async save(tx: Transaction, fgId: number, entry: { report: ValidationReport; ingestionResult: IngestionResult; commitId: number | null }): Promise<number> {
    const { report, ingestionResult, commitId } = entry;
    if (ingestionResult !== 'INGESTED' && ingestionResult !== 'REJECTED') throw new InvalidArgumentError('ingestionResult is INGESTED or REJECTED', { ingestionResult });
    if (ingestionResult === 'REJECTED' && commitId !== null) throw new InvalidArgumentError('a rejected batch made no commit: commitId must be null', { commitId });
    const validatedAt = Date.parse(report.evaluatedAt);
    if (!Number.isFinite(validatedAt)) throw new InvalidArgumentError('the report has no valid evaluatedAt time', { evaluatedAt: report.evaluatedAt });
    const group = await tx.get(`SELECT id FROM fg_feature_groups WHERE id = ?${this.dialect.forUpdate}`, [fgId]);
    if (group === undefined) throw new FeatureGroupNotFoundError(`feature group ${fgId} does not exist`, { fgId });
    const newest = await tx.get<{ m: number | null }>('SELECT MAX(id) AS m FROM fg_validation_reports WHERE fg_id = ?', [fgId]);
    const id = newest?.m === null || newest?.m === undefined ? 1 : Number(newest.m) + 1;
    await tx.run(`INSERT INTO fg_validation_reports (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      fgId,
      id,
      validatedAt,
      report.success ? 1 : 0,
      commitId,
      ingestionResult,
      JSON.stringify(report),
    ]);
    return id;
  }

  /** Newest first, at most `limit`; only one ingestion result when `ingestionResult` is given. */
  async list(tx: Transaction, fgId: number, options: { limit?: number; ingestionResult?: IngestionResult } = {}): Promise<StoredValidationReport[]> {
    const limit = options.limit ?? 20;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidArgumentError('limit must be a positive integer', { limit });
    const rows =
      options.ingestionResult === undefined
        ? await tx.rows(`SELECT ${COLUMNS} FROM fg_validation_reports WHERE fg_id = ? ORDER BY id DESC LIMIT ?`, [fgId, limit])
        : await tx.rows(`SELECT ${COLUMNS} FROM fg_validation_reports WHERE fg_id = ? AND ingestion_result = ? ORDER BY id DESC LIMIT ?`, [
            fgId,
            options.ingestionResult,
            limit,
          ]);
    return rows.map(fromRow);
  }

  async get(tx: Transaction, fgId: number, id: number): Promise<StoredValidationReport | undefined> {
    const rows = await tx.rows(`SELECT ${COLUMNS} FROM fg_validation_reports WHERE fg_id = ? AND id = ?`, [fgId, id]);
    return rows.length === 0 ? undefined : fromRow(rows[0]!);
  }
}
