import { Type, type Static } from 'typebox';
import type { Humle } from '../../humle.js';
import type { Principal } from '../../platform/principal.js';
import { pkRead, PkReadBody, type PkReadResult } from './pk-read.js';
import { INVALID_METHOD, INVALID_RELATIVE_URL, RonDbError } from './rondb-error.js';

/** RonDB's BatchMaxSize default: sub-operations per batch. */
const MAX_OPERATIONS = 256;

export const BatchRequest = Type.Object({
  operations: Type.Array(Type.Object({ method: Type.String(), 'relative-url': Type.String(), body: PkReadBody }), { minItems: 1, maxItems: MAX_OPERATIONS }),
});
export type BatchRequest = Static<typeof BatchRequest>;

/** `<db>/<table>/pk-read`: a pk-read's URL without the API version, as RonDB's batch takes it. */
const RELATIVE_URL = /^([^/]+)\/([^/]+)\/pk-read$/;

/**
 * RonDB's `POST /0.1.0/batch`: pk-reads in one request, answered `{ result: [{ code, body }] }` in their order. The
 * operations' form is checked first (method POST, relative URL `<db>/<table>/pk-read`: else the whole batch is 400);
 * each then answers on its own: 200 with `{ operationId, data }`, or its error's status with `{ code, message, reason }`.
 */
export async function batchOperations(humle: Humle, caller: Principal, request: BatchRequest): Promise<string> {
  const targets = request.operations.map((op, i) => {
    if (op.method !== 'POST') throw INVALID_METHOD.error(`Field validation for 'Method' failed: operation ${i} has method ${op.method}; only POST is supported`);
    const match = RELATIVE_URL.exec(op['relative-url']);
    if (match === null) throw INVALID_RELATIVE_URL.error(`Field validation for 'RelativeURL' failed: operation ${i}: ${op['relative-url']}`);
    return { db: match[1]!, table: match[2]!, body: op.body };
  });
  const results = await Promise.all(targets.map((t) => pkRead(humle, caller, t.db, t.table, t.body).catch(answerOf)));
  return `{"result":[${results.map((r) => `{"code":${r.status},"body":${r.body}}`).join(',')}]}`;
}

function answerOf(error: unknown): PkReadResult {
  if (error instanceof RonDbError) return { status: error.status, body: error.body };
  throw error;
}
