import { FeatureStore } from '../feature-store.js';
import type { FeatureStoreContext } from '../featurestore-context.js';
import { featureStoreDirectory, projectDirectory } from './project-name.js';

export interface ProjectRecord {
  id: number;
  name: string;
  owner: string;
  createdAt: number;
}

/** A Hopsworks-style project: a sandbox with its own fs directory and one feature store. */
export class Project {
  constructor(
    private readonly ctx: FeatureStoreContext,
    private readonly record: ProjectRecord,
  ) {}

  get id(): number {
    return this.record.id;
  }

  get name(): string {
    return this.record.name;
  }

  get owner(): string {
    return this.record.owner;
  }

  get createdAt(): Date {
    return new Date(this.record.createdAt);
  }

  /** The project's directory in humle fs. */
  get directory(): string {
    return projectDirectory(this.record.name);
  }

  /** The project's feature store (HSFS: `project.get_feature_store()`). */
  featureStore(): FeatureStore {
    return new FeatureStore(this.ctx, this.record, featureStoreDirectory(this.record.name));
  }

  toJSON(): ProjectRecord {
    return { ...this.record };
  }
}
