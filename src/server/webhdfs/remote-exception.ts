import { FsError } from '../../errors/fs-errors.js';
import { HumleError } from '../../errors/humle-error.js';
import { typedFailureOf } from '../request-failure.js';

export interface RemoteExceptionReply {
  status: number;
  body: { RemoteException: { exception: string; javaClassName: string; message: string } };
}

/**
 * Java classes for Humle's errors that are not humle fs errors (those carry their own `hadoopClass`). Hadoop's
 * client rethrows the class named here, so a refused key is an AccessControlException to it, as in secure HDFS.
 */
const CLASS_BY_CODE: Readonly<Record<string, string>> = {
  UNAUTHENTICATED: 'org.apache.hadoop.security.AccessControlException',
  ACCESS_DENIED: 'org.apache.hadoop.security.AccessControlException',
  INVALID_ARGUMENT: 'java.lang.IllegalArgumentException',
  INVALID_REQUEST: 'java.lang.IllegalArgumentException',
  PAYLOAD_TOO_LARGE: 'java.lang.IllegalArgumentException',
  UNSUPPORTED_MEDIA_TYPE: 'java.lang.IllegalArgumentException',
  ROUTE_NOT_FOUND: 'java.lang.IllegalArgumentException',
  STORAGE_ERROR: 'java.io.IOException',
};

/** Subclasses of IllegalArgumentException among the classes humle fs names: a bad request, 400. */
const ILLEGAL_ARGUMENT_CLASSES = new Set(['java.lang.IllegalArgumentException', 'org.apache.hadoop.fs.InvalidPathException']);

/**
 * HDFS's rule for the status of a WebHDFS error (its ExceptionHandler): FileNotFoundException 404, an
 * IllegalArgumentException 400, any other IOException (AccessControlException, FileAlreadyExistsException, quota ...)
 * 403; authentication failures are 401; anything unexpected is a 500 RuntimeException without its message.
 */
export function remoteExceptionOf(error: unknown): RemoteExceptionReply {
  const typed = typedFailureOf(error);
  if (typed === undefined) return reply(500, 'java.lang.RuntimeException', 'internal server error');
  const javaClassName = typed instanceof FsError ? typed.hadoopClass : (CLASS_BY_CODE[typed.code] ?? 'java.io.IOException');
  return reply(statusOf(typed, javaClassName), javaClassName, typed.message);
}

function statusOf(error: HumleError, javaClassName: string): number {
  if (error.code === 'UNAUTHENTICATED') return 401;
  if (error.code === 'PAYLOAD_TOO_LARGE') return 413;
  if (javaClassName === 'java.io.FileNotFoundException') return 404;
  if (ILLEGAL_ARGUMENT_CLASSES.has(javaClassName)) return 400;
  return 403;
}

function reply(status: number, javaClassName: string, message: string): RemoteExceptionReply {
  const exception = javaClassName.slice(javaClassName.lastIndexOf('.') + 1);
  return { status, body: { RemoteException: { exception, javaClassName, message } } };
}
