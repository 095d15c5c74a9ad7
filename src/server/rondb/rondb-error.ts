import type { FastifyReply } from 'fastify';

/**
 * An error as RonDB's REST server answers it: `{ code, message, reason }` with an HTTP status. `code` and `reason`
 * are RonDB's own: on the feature vector routes its feature store codes (FV_NOT_EXIST = 1, FS_NOT_EXIST = 2, …,
 * from rest-server2's feature_store_error_code.hpp), on pk-read and batch its RDRS error codes (11 "Database/Table
 * does not exist.", 14 "Wrong primary-key column.", … from error_strings.h). Where RonDB answers with a bare message
 * (authentication, a body it cannot parse, a row not found), `code` is 0, as RonDB's own RestErrorCode(reason,
 * status) has it, so that every error of these routes has one shape.
 */
export class RonDbError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }

  get body(): string {
    return JSON.stringify({ code: this.code, message: this.message, reason: this.reason });
  }
}

/** One of RonDB's error kinds: a status, a code and a reason, given a message per occurrence. */
export class RonDbErrorKind {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly reason: string,
  ) {}

  /** This error with its own message; `status` where RonDB's handler sends another status than the kind's own. */
  error(message: string, status = this.status): RonDbError {
    return new RonDbError(status, this.code, this.reason, message);
  }
}

// Feature store errors. RonDB's handlers answer most of them 400 whatever the kind's status (metadata that does
// not exist, keys and passed features that fail validation); the routes pass the status RonDB sends.
export const FV_NOT_EXIST = new RonDbErrorKind(404, 1, 'Feature view does not exist.');
export const FS_NOT_EXIST = new RonDbErrorKind(404, 2, 'Feature store does not exist.');
export const WRONG_DATA_TYPE = new RonDbErrorKind(415, 10, 'Wrong data type.');
export const FEATURE_NOT_EXIST = new RonDbErrorKind(404, 11, 'Feature does not exist.');
export const INCORRECT_PRIMARY_KEY = new RonDbErrorKind(400, 12, 'Incorrect primary key.');
export const INCORRECT_PASSED_FEATURE = new RonDbErrorKind(400, 13, 'Incorrect passed feature.');
export const NO_PRIMARY_KEY_GIVEN = new RonDbErrorKind(400, 15, 'No primary key is given.');
export const READ_FROM_DB_FAIL_BAD_INPUT = new RonDbErrorKind(400, 18, 'Reading from db failed.');
export const FEATURE_STORE_NOT_SHARED = new RonDbErrorKind(401, 17, 'Accessing unshared feature store failed');

// RDRS errors of pk-read and batch (their message is RonDB's text, which is also the reason here).
export const DB_TABLE_NOT_EXIST = new RonDbErrorKind(400, 11, 'Database/Table does not exist.');
export const COLUMN_NOT_EXIST = new RonDbErrorKind(400, 12, 'Column does not exist.');
export const WRONG_PRIMARY_KEY_COUNT = new RonDbErrorKind(400, 13, 'Wrong number of primary-key columns.');
export const WRONG_PRIMARY_KEY_COLUMN = new RonDbErrorKind(400, 14, 'Wrong primary-key column.');
export const RDRS_WRONG_DATA_TYPE = new RonDbErrorKind(400, 15, 'Wrong data type.');
export const UNSUPPORTED_DATA_RETURN_TYPE = new RonDbErrorKind(400, 25, 'Data return type is not supported.');
export const UNIQUE_FILTER = new RonDbErrorKind(400, 57, "field validation for filter failed on the 'unique' tag");
export const INVALID_READ_COLUMNS = new RonDbErrorKind(400, 60, 'field validation for read columns failed');
export const UNIQUE_READ_COLUMN = new RonDbErrorKind(400, 61, "field validation for 'ReadColumns' failed on the 'unique' tag");
export const INVALID_METHOD = new RonDbErrorKind(400, 62, "Field validation for 'Method' failed");
export const INVALID_RELATIVE_URL = new RonDbErrorKind(400, 63, "Field validation for 'RelativeURL' failed");
export const INVALID_BODY = new RonDbErrorKind(400, 64, "Field validation for 'Body' failed");

// Bare-message answers of RonDB (code 0).
export const BAD_REQUEST = new RonDbErrorKind(400, 0, 'Bad Request');
export const UNAUTHORIZED = new RonDbErrorKind(401, 0, 'Unauthorized');
export const NOT_FOUND = new RonDbErrorKind(404, 0, 'Not Found');
export const PAYLOAD_TOO_LARGE = new RonDbErrorKind(413, 0, 'Payload Too Large');
export const UNSUPPORTED_MEDIA_TYPE = new RonDbErrorKind(415, 0, 'Unsupported Media Type');
export const INTERNAL = new RonDbErrorKind(500, 0, 'Internal Server Error');

export function sendRonDbError(reply: FastifyReply, error: RonDbError): FastifyReply {
  return reply.code(error.status).type('application/json').send(error.body);
}
