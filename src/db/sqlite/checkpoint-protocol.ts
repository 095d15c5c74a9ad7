/** What a checkpoint worker starts with. */
export interface CheckpointWorkerInit {
  path: string;
}

/** A checkpoint worker's answer: the WAL's frames and how many of them are in the database file, or why it failed. */
export type CheckpointReply = { log: number; checkpointed: number } | { error: string };
