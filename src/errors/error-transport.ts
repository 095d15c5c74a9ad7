import * as fsErrors from './fs-errors.js';
import * as featureStoreErrors from './featurestore-errors.js';
import * as projectErrors from './project-errors.js';
import * as platformErrors from './platform-errors.js';
import * as requestErrors from './request-errors.js';
import * as offlineStoreErrors from '../featurestore/offline/offline-store-errors.js';
import { HumleError, InvalidArgumentError, StorageError } from './humle-error.js';
import { ServerError } from './server-errors.js';

/** An error as it crosses a thread or process boundary: enough to rebuild the same typed error on the other side. */
export interface SerializedError {
  name: string;
  message: string;
  details: Record<string, unknown>;
}

type ErrorClass = new (message: string, details?: Record<string, unknown>) => HumleError;

const TYPED = (
  [
    InvalidArgumentError,
    StorageError,
    ...Object.values(fsErrors),
    ...Object.values(featureStoreErrors),
    ...Object.values(projectErrors),
    ...Object.values(platformErrors),
    ...Object.values(offlineStoreErrors),
    ...Object.values(requestErrors),
  ] as unknown[]
).filter((c): c is ErrorClass => typeof c === 'function' && c.prototype instanceof HumleError && c !== fsErrors.FsError && c !== featureStoreErrors.FeatureStoreError);

const CLASSES = new Map<string, ErrorClass>(TYPED.map((c) => [c.name, c]));

/** The class of each stable code (`code` is an instance field, so each class is asked once, here). */
const CLASSES_BY_CODE = new Map<string, ErrorClass>(TYPED.map((c) => [new c('').code, c]));

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

/**
 * The typed error a Humle server's `{ code, message, details }` answer stands for: the class the embedded SDK throws
 * for the same code, so callers catch the same classes whether they run embedded or against a server. A code with
 * no class here, or an answer of another shape, is a ServerError.
 */
export function errorOfAnswer(status: number, body: unknown): HumleError {
  const { code, message, details } = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown; details?: unknown };
  const text = typeof message === 'string' ? message : `the server answered ${status}`;
  const fields = typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : {};
  if (typeof code !== 'string') return new ServerError(`HTTP_${status}`, text, { status });
  const Class = CLASSES_BY_CODE.get(code);
  return Class ? new Class(text, fields) : new ServerError(code, text, fields);
}
