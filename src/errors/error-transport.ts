import * as fsErrors from './fs-errors.js';
import * as featureStoreErrors from './featurestore-errors.js';
import * as projectErrors from './project-errors.js';
import * as platformErrors from './platform-errors.js';
import * as offlineStoreErrors from '../featurestore/offline/offline-store-errors.js';
import { HumleError, InvalidArgumentError, StorageError } from './humle-error.js';

/** An error as it crosses a thread or process boundary: enough to rebuild the same typed error on the other side. */
export interface SerializedError {
  name: string;
  message: string;
  details: Record<string, unknown>;
}

type ErrorClass = new (message: string, details?: Record<string, unknown>) => HumleError;

const CLASSES = new Map<string, ErrorClass>(
  ([InvalidArgumentError, StorageError, ...Object.values(fsErrors), ...Object.values(featureStoreErrors), ...Object.values(projectErrors), ...Object.values(platformErrors), ...Object.values(offlineStoreErrors)] as unknown[])
    .filter((c): c is ErrorClass => typeof c === 'function' && c.prototype instanceof HumleError && c !== fsErrors.FsError && c !== featureStoreErrors.FeatureStoreError)
    .map((c) => [c.name, c]),
);

export function serializeError(error: unknown): SerializedError {
  if (error instanceof HumleError) return { name: error.name, message: error.message, details: error.details };
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: 'Error', message: e.message, details: { stack: e.stack } };
}

/** The typed error a serialized one stands for; errors Humle did not raise on purpose come back as plain Errors. */
export function reviveError(serialized: SerializedError): Error {
  const Class = CLASSES.get(serialized.name);
  return Class ? new Class(serialized.message, serialized.details) : new Error(serialized.message);
}
