import type { FeatureView } from '../../featurestore/featureview/feature-view.js';
import type { Humle } from '../../humle.js';

/** How long a cached view is used before its record is read again (RonDB refreshes its metadata cache likewise). */
export const VIEW_RECHECK_MS = 5_000;

interface Cached {
  /** The view, its serving prepared with no options. */
  view: Promise<FeatureView>;
  checkedAt: number;
  /** A re-read of the view's record under way, shared by the requests that find the entry stale. */
  recheck: Promise<FeatureView> | undefined;
}

/**
 * The feature views the server serves vectors of, prepared once per view version and kept, so that a request reads
 * rows and nothing else (preparing reads the view's record, its groups' schemas, and prepares a statement per group on
 * the lookup connections). Both vector APIs share it: `/api/v1 …/vectors` and RonDB's `/0.1.0/feature_store`. An
 * entry older than VIEW_RECHECK_MS has its record read again before use: a deleted view stops being served, and one
 * made again under the same name and version is prepared anew. It reads as the server: callers check rights first.
 */
export class ServingViews {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly humle: Humle,
    /** How long an entry is used before its record is read again. */
    private readonly recheckMs = VIEW_RECHECK_MS,
  ) {}

  /** The view, prepared; the feature store's own errors (project, view not found; view not servable). */
  get(project: string, viewName: string, version: number): Promise<FeatureView> {
    const key = `${project}\u0000${viewName}\u0000${version}`;
    const cached = this.cache.get(key);
    if (cached === undefined) return this.prepare(key, project, viewName, version).view;
    if (Date.now() - cached.checkedAt < this.recheckMs) return cached.view;
    return (cached.recheck ??= this.recheck(key, cached, project, viewName, version));
  }

  private prepare(key: string, project: string, viewName: string, version: number, found?: FeatureView): Cached {
    const view = (async () => {
      const fv = found ?? (await this.read(project, viewName, version));
      await fv.vectorServer();
      return fv;
    })();
    const entry: Cached = { view, checkedAt: Date.now(), recheck: undefined };
    this.cache.set(key, entry);
    // A failed preparation is not kept: the next request tries again.
    view.catch(() => {
      if (this.cache.get(key) === entry) this.cache.delete(key);
    });
    return entry;
  }

  private async recheck(key: string, cached: Cached, project: string, viewName: string, version: number): Promise<FeatureView> {
    try {
      const now = await this.read(project, viewName, version);
      const served = await cached.view;
      if (now.id === served.id) {
        cached.checkedAt = Date.now();
        return served;
      }
      return await this.prepare(key, project, viewName, version, now).view;
    } catch (error) {
      if (this.cache.get(key) === cached) this.cache.delete(key);
      throw error;
    } finally {
      cached.recheck = undefined;
    }
  }

  private async read(project: string, viewName: string, version: number): Promise<FeatureView> {
    return (await this.humle.project(project)).featureStore().getFeatureView(viewName, version);
  }
}
