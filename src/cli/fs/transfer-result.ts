/** What one argument of put, get or cp moved: printed as its --json result. */
export interface TransferResult {
  source: string;
  path: string;
  files: number;
  directories: number;
  bytes: number;
}

export function newTransfer(source: string, path: string): TransferResult {
  return { source, path, files: 0, directories: 0, bytes: 0 };
}
