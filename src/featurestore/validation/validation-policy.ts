import { InvalidExpectationError, ValidationFailedError } from '../../errors/featurestore-errors.js';
import type { ValidationReport } from './validate-batch.js';

/**
 * What an insert does when its batch breaks expectations (HSFS validation_ingestion_policy): `strict` rejects the
 * whole batch, `always` inserts it; the report is recorded either way.
 */
export type ValidationIngestionPolicy = 'strict' | 'always';

/** What happened to a validated batch, as the validation history records it (HSFS ingestion_result). */
export type IngestionResult = 'INGESTED' | 'REJECTED';

/** `always` when not given, as in HSFS; HSFS's upper-case spellings (`STRICT`, `ALWAYS`) are accepted. */
export function parseValidationIngestionPolicy(input: unknown): ValidationIngestionPolicy {
  if (input === undefined || input === null) return 'always';
  const policy = typeof input === 'string' ? input.toLowerCase() : input;
  if (policy === 'strict' || policy === 'always') return policy;
  throw new InvalidExpectationError(`unknown validation ingestion policy ${JSON.stringify(input)}: use strict or always`, { policy: String(input) });
}

export function ingestionResultOf(report: ValidationReport, policy: ValidationIngestionPolicy): IngestionResult {
  return report.success || policy === 'always' ? 'INGESTED' : 'REJECTED';
}

/** The error a strict rejection raises; `details.report` is the whole report. */
export function validationFailedError(report: ValidationReport, featureGroup?: string): ValidationFailedError {
  const failed = report.results.filter((r) => !r.success);
  const summary = failed
    .slice(0, 3)
    .map((r) => `${describeExpectation(r.expectation)}: ${r.unexpectedCount} unexpected`)
    .join('; ');
  const more = failed.length > 3 ? `; and ${failed.length - 3} more` : '';
  const target = featureGroup === undefined ? 'the batch' : `the batch for feature group ${featureGroup}`;
  return new ValidationFailedError(`${target} was rejected: ${failed.length} of ${report.results.length} expectations failed (${summary}${more})`, {
    ...(featureGroup === undefined ? {} : { featureGroup }),
    report,
  });
}

function describeExpectation(e: ValidationReport['results'][number]['expectation']): string {
  return e.kind === 'unique' ? `unique(${e.features.join(', ')})` : `${e.kind}(${e.feature})`;
}
