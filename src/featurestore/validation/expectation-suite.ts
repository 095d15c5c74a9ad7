import { InvalidExpectationError } from '../../errors/featurestore-errors.js';
import type { Feature } from '../schema/feature.js';
import { parseExpectations, type Expectation } from './expectation.js';
import { parseValidationIngestionPolicy, type ValidationIngestionPolicy } from './validation-policy.js';

/** A feature group's expectations and what to do when a batch breaks them (HSFS ExpectationSuite). */
export interface ExpectationSuite {
  expectations: Expectation[];
  /** Default `always`. */
  validationIngestionPolicy: ValidationIngestionPolicy;
  /** Validate inserts at all (default true): false keeps the expectations but skips them, as HSFS's run_validation. */
  runValidation: boolean;
}

const KEYS: Record<string, keyof ExpectationSuite> = {
  expectations: 'expectations',
  validationIngestionPolicy: 'validationIngestionPolicy',
  validation_ingestion_policy: 'validationIngestionPolicy',
  runValidation: 'runValidation',
  run_validation: 'runValidation',
};

/**
 * Reads a suite as a user gives it: undefined or null (no expectations), an array of expectations (policy
 * `always`), or an object `{ expectations, validationIngestionPolicy, runValidation }` (HSFS's snake_case names are
 * read too). The result is JSON-safe and parses back to itself. `features` as in parseExpectations.
 */
export function parseExpectationSuite(input: unknown, features?: readonly Feature[]): ExpectationSuite {
  if (input === undefined || input === null) return { expectations: [], validationIngestionPolicy: 'always', runValidation: true };
  if (Array.isArray(input)) return { expectations: parseExpectations(input, features), validationIngestionPolicy: 'always', runValidation: true };
  if (typeof input !== 'object') {
    throw new InvalidExpectationError('an expectation suite is an array of expectations or { expectations, validationIngestionPolicy, runValidation }', {
      suite: typeof input,
    });
  }
  const fields: Partial<Record<keyof ExpectationSuite, unknown>> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const field = KEYS[key];
    if (field === undefined) {
      throw new InvalidExpectationError(`unknown expectation suite key '${key}': use expectations, validationIngestionPolicy or runValidation`, { key });
    }
    if (field in fields) throw new InvalidExpectationError(`the expectation suite sets ${field} twice ('${key}')`, { key });
    fields[field] = value;
  }
  if (fields.runValidation !== undefined && typeof fields.runValidation !== 'boolean') {
    throw new InvalidExpectationError('runValidation must be a boolean', { runValidation: typeof fields.runValidation });
  }
  return {
    expectations: parseExpectations(fields.expectations, features),
    validationIngestionPolicy: parseValidationIngestionPolicy(fields.validationIngestionPolicy),
    runValidation: (fields.runValidation as boolean | undefined) ?? true,
  };
}
