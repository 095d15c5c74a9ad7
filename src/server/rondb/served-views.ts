import { FeatureViewNotFoundError, FeatureViewNotServableError } from '../../errors/featurestore-errors.js';
import { ProjectNotFoundError } from '../../errors/project-errors.js';
import type { FeatureView } from '../../featurestore/featureview/feature-view.js';
import type { Humle } from '../../humle.js';
import type { Principal } from '../../platform/principal.js';
import { FS_NOT_EXIST, FV_NOT_EXIST, READ_FROM_DB_FAIL_BAD_INPUT } from './rondb-error.js';
import { ServedView } from './served-view.js';

/** Hopsworks names a project's feature store `<project>_featurestore`; HSFS sends RonDB the name without it. */
const FEATURE_STORE_SUFFIX = '_featurestore';

/** How long a cached view is used before its record is read again (RonDB refreshes its metadata cache likewise). */
export const VIEW_RECHECK_MS = 5_000;

interface Cached {
  served: Promise<ServedView>;
  checkedAt: number;
  /** A re-read of the view's record under way, shared by the requests that find the entry stale. */
  recheck: Promise<ServedView> | undefined;
}

/** The project a `featureStoreName` names: `<project>` or `<project>_featurestore`. */
export function projectOfFeatureStore(featureStoreName: string): string {
  return featureStoreName.endsWith(FEATURE_STORE_SUFFIX) ? featureStoreName.slice(0, -FEATURE_STORE_SUFFIX.length) : featureStoreName;
}

/**
 * The feature views the RonDB-compatible routes serve, prepared once per view version and kept (the view's
 * statements stay prepared on the lookup connections). An entry older than VIEW_RECHECK_MS has its record read again
 * before use: a deleted view stops being served, and one made again under the same name and version is prepared anew.
 * A caller reaches only the feature stores of its own projects; any other answers exactly as one that does not exist.
 */
export class ServedViews {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly humle: Humle) {}

  async get(caller: Principal, featureStoreName: string, viewName: string, version: number): Promise<ServedView> {
    const project = projectOfFeatureStore(featureStoreName);
    if (caller.roleIn(project) === undefined) throw FS_NOT_EXIST.error(`feature store ${featureStoreName} does not exist`, 400);
    const key = `${project}\u0000${viewName}\u0000${version}`;
    const cached = this.cache.get(key);
    if (cached === undefined) return this.prepare(key, project, viewName, version).served;
    if (Date.now() - cached.checkedAt < VIEW_RECHECK_MS) return cached.served;
    return (cached.recheck ??= this.recheck(key, cached, project, viewName, version));
  }

  private prepare(key: string, project: string, viewName: string, version: number, view?: FeatureView): Cached {
    const served = (async () => {
      const found = view ?? (await this.view(project, viewName, version));
      try {
        return new ServedView(await found.vectorServer(), found.id);
      } catch (error) {
        if (error instanceof FeatureViewNotServableError) throw READ_FROM_DB_FAIL_BAD_INPUT.error(error.message);
        throw error;
      }
    })();
    const entry: Cached = { served, checkedAt: Date.now(), recheck: undefined };
    this.cache.set(key, entry);
    // A failed preparation is not kept: the next request tries again.
    served.catch(() => {
      if (this.cache.get(key) === entry) this.cache.delete(key);
    });
    return entry;
  }

  private async recheck(key: string, cached: Cached, project: string, viewName: string, version: number): Promise<ServedView> {
    try {
      const view = await this.view(project, viewName, version);
      const served = await cached.served;
      if (view.id === served.viewId) {
        cached.checkedAt = Date.now();
        return served;
      }
      return await this.prepare(key, project, viewName, version, view).served;
    } catch (error) {
      if (this.cache.get(key) === cached) this.cache.delete(key);
      throw error;
    } finally {
      cached.recheck = undefined;
    }
  }

  private async view(project: string, viewName: string, version: number): Promise<FeatureView> {
    try {
      return await (await this.humle.project(project)).featureStore().getFeatureView(viewName, version);
    } catch (error) {
      if (error instanceof ProjectNotFoundError) throw FS_NOT_EXIST.error(`feature store ${project} does not exist`, 400);
      if (error instanceof FeatureViewNotFoundError) throw FV_NOT_EXIST.error(`feature view ${viewName} version ${version} does not exist`, 400);
      throw error;
    }
  }
}
