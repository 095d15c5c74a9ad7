import { InvalidExpectationError } from '../../errors/featurestore-errors.js';
import type { Feature } from '../schema/feature.js';
import type { Expectation } from './expectation.js';
import { compileExpectation, type ExpectationResult } from './expectation-check.js';

/** The outcome of a feature group's expectations over one batch (GE's ExpectationSuiteValidationResult, camelCased). */
export interface ValidationReport {
  /** Every expectation met. */
  success: boolean;
  /** ISO 8601. */
  evaluatedAt: string;
  rowCount: number;
  statistics: {
    evaluatedExpectations: number;
    successfulExpectations: number;
    unsuccessfulExpectations: number;
    /** 100 when there is no expectation. */
    successPercent: number;
  };
  /** One per expectation, in the suite's order. */
  results: ExpectationResult[];
}

/**
 * Evaluates expectations over a batch of canonical rows in feature order (what validateRows produced): one pass over
 * the rows per expectation. Every expectation is compiled before any runs, so a malformed one throws
 * InvalidExpectationError and nothing is evaluated. The report is JSON-safe.
 */
export function validateBatch(expectations: readonly Expectation[], features: readonly Feature[], rows: readonly (readonly unknown[])[]): ValidationReport {
  if (!Array.isArray(expectations)) throw new InvalidExpectationError('expectations must be an array of { kind, ... } objects', {});
  const checks = expectations.map((expectation, index) => compileExpectation(expectation, index, features));
  const evaluatedAt = new Date().toISOString();
  const results = checks.map((check) => check(rows));
  const successful = results.filter((r) => r.success).length;
  return {
    success: successful === results.length,
    evaluatedAt,
    rowCount: rows.length,
    statistics: {
      evaluatedExpectations: results.length,
      successfulExpectations: successful,
      unsuccessfulExpectations: results.length - successful,
      successPercent: results.length === 0 ? 100 : (100 * successful) / results.length,
    },
    results,
  };
}
