import { FeatureViewNotFoundError, FeatureViewNotServableError } from '../../errors/featurestore-errors.js';
import { ProjectNotFoundError } from '../../errors/project-errors.js';
import type { FeatureView } from '../../featurestore/featureview/feature-view.js';
import type { Principal } from '../../platform/principal.js';
import type { ServingViews } from '../serving/serving-views.js';
import { FS_NOT_EXIST, FV_NOT_EXIST, READ_FROM_DB_FAIL_BAD_INPUT } from './rondb-error.js';
import { ServedView } from './served-view.js';

/** Hopsworks names a project's feature store `<project>_featurestore`; HSFS sends RonDB the name without it. */
const FEATURE_STORE_SUFFIX = '_featurestore';

/** The project a `featureStoreName` names: `<project>` or `<project>_featurestore`. */
export function projectOfFeatureStore(featureStoreName: string): string {
  return featureStoreName.endsWith(FEATURE_STORE_SUFFIX) ? featureStoreName.slice(0, -FEATURE_STORE_SUFFIX.length) : featureStoreName;
}

/**
 * The feature views the RonDB-compatible routes serve: the server's prepared views (ServingViews, shared with
 * /api/v1) with their JSON writers, made once per prepared view, and the feature store's errors as RonDB's. A caller
 * reaches only the feature stores of its own projects; any other answers exactly as one that does not exist.
 */
export class ServedViews {
  private readonly served = new WeakMap<FeatureView, Promise<ServedView>>();

  constructor(private readonly views: ServingViews) {}

  async get(caller: Principal, featureStoreName: string, viewName: string, version: number): Promise<ServedView> {
    const project = projectOfFeatureStore(featureStoreName);
    if (caller.roleIn(project) === undefined) throw FS_NOT_EXIST.error(`feature store ${featureStoreName} does not exist`, 400);
    let view: FeatureView;
    try {
      view = await this.views.get(project, viewName, version);
    } catch (error) {
      if (error instanceof ProjectNotFoundError) throw FS_NOT_EXIST.error(`feature store ${project} does not exist`, 400);
      if (error instanceof FeatureViewNotFoundError) throw FV_NOT_EXIST.error(`feature view ${viewName} version ${version} does not exist`, 400);
      if (error instanceof FeatureViewNotServableError) throw READ_FROM_DB_FAIL_BAD_INPUT.error(error.message);
      throw error;
    }
    let served = this.served.get(view);
    if (served === undefined) {
      served = view.vectorServer().then((server) => new ServedView(server));
      this.served.set(view, served);
    }
    return served;
  }
}
