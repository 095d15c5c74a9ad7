import { HumleError } from './humle-error.js';

/**
 * humle fs errors. `hadoopClass` is the Java exception HDFS raises for the same condition; WebHDFS puts it in
 * `RemoteException.javaClassName` so Hadoop clients rethrow the exception they know.
 */
export abstract class FsError extends HumleError {
  abstract readonly hadoopClass: string;
}

export class InvalidPathError extends FsError {
  readonly code = 'FS_INVALID_PATH';
  readonly hadoopClass = 'org.apache.hadoop.fs.InvalidPathException';
}

export class FileNotFoundError extends FsError {
  readonly code = 'FS_NOT_FOUND';
  readonly hadoopClass = 'java.io.FileNotFoundException';
}

export class FileAlreadyExistsError extends FsError {
  readonly code = 'FS_ALREADY_EXISTS';
  readonly hadoopClass = 'org.apache.hadoop.fs.FileAlreadyExistsException';
}

/** A path component that must be a directory is a file. */
export class ParentNotDirectoryError extends FsError {
  readonly code = 'FS_PARENT_NOT_DIRECTORY';
  readonly hadoopClass = 'org.apache.hadoop.fs.ParentNotDirectoryException';
}

/** A file operation (read, append, truncate, concat) was given a directory. */
export class IsDirectoryError extends FsError {
  readonly code = 'FS_IS_DIRECTORY';
  readonly hadoopClass = 'java.io.FileNotFoundException';
}

export class DirectoryNotEmptyError extends FsError {
  readonly code = 'FS_DIRECTORY_NOT_EMPTY';
  readonly hadoopClass = 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException';
}

export class PermissionDeniedError extends FsError {
  readonly code = 'FS_PERMISSION_DENIED';
  readonly hadoopClass = 'org.apache.hadoop.security.AccessControlException';
}

export class NamespaceQuotaExceededError extends FsError {
  readonly code = 'FS_NS_QUOTA_EXCEEDED';
  readonly hadoopClass = 'org.apache.hadoop.hdfs.protocol.NSQuotaExceededException';
}

export class SpaceQuotaExceededError extends FsError {
  readonly code = 'FS_DS_QUOTA_EXCEEDED';
  readonly hadoopClass = 'org.apache.hadoop.hdfs.protocol.DSQuotaExceededException';
}

/** Another writer holds the file's lease (HDFS: AlreadyBeingCreatedException). */
export class LeaseHeldError extends FsError {
  readonly code = 'FS_LEASE_HELD';
  readonly hadoopClass = 'org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException';
}

/** The writer lost its lease (recovered by someone else, or the file was deleted) before it closed the file. */
export class LeaseExpiredError extends FsError {
  readonly code = 'FS_LEASE_EXPIRED';
  readonly hadoopClass = 'org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException';
}

/** The path lies inside a subtree that a large delete or rename is working on; try again shortly. */
export class SubtreeLockedError extends FsError {
  readonly code = 'FS_SUBTREE_LOCKED';
  readonly hadoopClass = 'org.apache.hadoop.ipc.RetriableException';
  override readonly retriable = true;
}

/** A rename or concat whose arguments break the namespace rules (directory into its own subtree, root, ...). */
export class InvalidOperationError extends FsError {
  readonly code = 'FS_INVALID_OPERATION';
  readonly hadoopClass = 'java.io.IOException';
}

export class XAttrError extends FsError {
  readonly code = 'FS_XATTR';
  readonly hadoopClass = 'java.io.IOException';
}

/** A block's bytes do not match the checksum recorded when it was written, or the block is gone. */
export class CorruptBlockError extends FsError {
  readonly code = 'FS_CORRUPT_BLOCK';
  readonly hadoopClass = 'org.apache.hadoop.fs.ChecksumException';
}

/** Bytes given to an operation that keeps them in the database are larger than the directory's database tiers. */
export class FileTooLargeForDatabaseError extends FsError {
  readonly code = 'FS_TOO_LARGE_FOR_DATABASE';
  readonly hadoopClass = 'java.io.IOException';
}
