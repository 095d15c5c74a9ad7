import type { Humle } from '../humle.js';
import type { ProjectAccess } from '../platform/project-access.js';
import type { ServingViews } from './serving/serving-views.js';

/** What every route module works with. */
export interface ServerContext {
  humle: Humle;
  /** The platform as seen by one caller at a time: project and membership calls with their rights checked. */
  access: ProjectAccess;
  /** Trust WebHDFS `user.name` without a key (`humle server --insecure`), as HDFS with security off. */
  insecure: boolean;
  /** Largest body of a feature group insert in a binary or text format (CSV, NDJSON, Parquet, Arrow), in bytes. */
  insertBodyLimit: number;
  /** Feature views prepared for serving, shared by the vector routes of /api/v1 and /0.1.0. */
  servingViews: ServingViews;
}
