/**
 * The one place where error codes become process exit codes, so scripts can tell failures apart without parsing
 * messages. Keys are the stable `code` of Humle's errors (src/errors), the CLI's own `USAGE`, and the Node.js system
 * error codes a local file operation (put's source, get's destination) can raise.
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  permissionDenied: 4,
  alreadyExists: 5,
  quotaExceeded: 6,
  /** The data given (a file to insert) breaks the feature group's schema: the command was right, the content not. */
  invalidData: 7,
  /** 128 + SIGINT, what a shell reports for a command stopped with Ctrl-C. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const BY_ERROR_CODE: Readonly<Record<string, ExitCode>> = {
  USAGE: ExitCode.usage,
  INVALID_ARGUMENT: ExitCode.usage,
  // A server refused the request's form (an argument the CLI passed on unchecked).
  INVALID_REQUEST: ExitCode.usage,
  FS_INVALID_PATH: ExitCode.usage,
  // A feature group definition comes from the command line (--primary-key, --feature name:type): a usage error.
  FEATURE_GROUP_INVALID: ExitCode.usage,
  FS_NOT_FOUND: ExitCode.notFound,
  ENOENT: ExitCode.notFound,
  PROJECT_NOT_FOUND: ExitCode.notFound,
  FEATURE_GROUP_NOT_FOUND: ExitCode.notFound,
  FEATURE_COMMIT_NOT_FOUND: ExitCode.notFound,
  USER_NOT_FOUND: ExitCode.notFound,
  API_KEY_NOT_FOUND: ExitCode.notFound,
  MEMBER_NOT_FOUND: ExitCode.notFound,
  FS_PERMISSION_DENIED: ExitCode.permissionDenied,
  // A server refused the API key (missing, wrong, revoked) or what its user's role or scopes allow.
  UNAUTHENTICATED: ExitCode.permissionDenied,
  ACCESS_DENIED: ExitCode.permissionDenied,
  EACCES: ExitCode.permissionDenied,
  EPERM: ExitCode.permissionDenied,
  FS_ALREADY_EXISTS: ExitCode.alreadyExists,
  EEXIST: ExitCode.alreadyExists,
  PROJECT_EXISTS: ExitCode.alreadyExists,
  API_KEY_EXISTS: ExitCode.alreadyExists,
  MEMBER_EXISTS: ExitCode.alreadyExists,
  FEATURE_GROUP_EXISTS: ExitCode.alreadyExists,
  // `--mode insert` met a record key the feature group holds already.
  FEATURE_DUPLICATE_RECORD: ExitCode.alreadyExists,
  FS_NS_QUOTA_EXCEEDED: ExitCode.quotaExceeded,
  FS_DS_QUOTA_EXCEEDED: ExitCode.quotaExceeded,
  FEATURE_INVALID_DATA: ExitCode.invalidData,
  FEATURE_SCHEMA_INCOMPATIBLE: ExitCode.invalidData,
  INTERRUPTED: ExitCode.interrupted,
};

/** The `code` an error carries, if it carries a string one. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function exitCodeOf(error: unknown): ExitCode {
  const code = errorCodeOf(error);
  return (code !== undefined && BY_ERROR_CODE[code]) || ExitCode.error;
}
