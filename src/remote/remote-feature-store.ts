import { FeatureGroupExistsError, FeatureGroupNotFoundError, FeatureViewNotFoundError } from '../errors/featurestore-errors.js';
import { checkFeatureGroupSpec, type FeatureGroupSpec } from '../featurestore/feature-group-spec.js';
import { checkFeatureViewSpec, sameDefinition, type FeatureViewSpec } from '../featurestore/featureview/feature-view-spec.js';
import { describeQuery, queryOf } from '../featurestore/query/query-description.js';
import { parseStatisticsConfig } from '../featurestore/statistics/statistics-config.js';
import { formatFeatureType } from '../featurestore/types/feature-type.js';
import { parseExpectationSuite } from '../featurestore/validation/expectation-suite.js';
import type { FeatureGroup } from '../sdk/feature-group.js';
import type { FeatureStore } from '../sdk/feature-store.js';
import type { RemoteContext } from './remote-context.js';
import { RemoteFeatureGroup, type FeatureGroupJson } from './remote-feature-group.js';
import { RemoteFeatureView, type FeatureViewJson } from './remote-feature-view.js';
import { segment } from './rest-client.js';

/**
 * A project's feature store on a server. Definitions are checked here with the embedded SDK's own checks, so a bad
 * spec fails with the same error before any request; what only the store can tell (a name taken, a missing group)
 * comes back from the server as the same typed errors.
 */
export class RemoteFeatureStore implements FeatureStore {
  private readonly path: string;

  constructor(
    private readonly ctx: RemoteContext,
    readonly projectName: string,
  ) {
    this.path = `/projects/${segment(projectName)}`;
  }

  get name(): string {
    return `${this.projectName.toLowerCase()}_featurestore`;
  }

  async createFeatureGroup(spec: FeatureGroupSpec): Promise<RemoteFeatureGroup> {
    const checked = checkFeatureGroupSpec(spec);
    const features = checked.features.length > 0 ? checked.features : undefined;
    parseStatisticsConfig(spec.statisticsConfig, features);
    parseExpectationSuite(spec.expectations, features);
    const body = {
      name: checked.name,
      version: checked.version,
      description: checked.description,
      primaryKey: checked.primaryKey,
      eventTime: checked.eventTime ?? undefined,
      partitionKey: checked.partitionKey,
      onlineEnabled: checked.onlineEnabled,
      features: features?.map((f) => ({ name: f.name, type: formatFeatureType(f.type), description: f.description })),
      statisticsConfig: spec.statisticsConfig ?? undefined,
      expectations: spec.expectations ?? undefined,
    };
    return this.group(await this.ctx.client.json<FeatureGroupJson>('POST', `${this.path}/featuregroups`, { json: body }));
  }

  async getFeatureGroup(name: string, version?: number): Promise<RemoteFeatureGroup> {
    const path = this.versionPath('featuregroups', name, version, FeatureGroupNotFoundError);
    return this.group(await this.ctx.client.json<FeatureGroupJson>('GET', path));
  }

  async getOrCreateFeatureGroup(spec: FeatureGroupSpec): Promise<RemoteFeatureGroup> {
    try {
      return await this.getFeatureGroup(spec.name, spec.version);
    } catch (error) {
      if (!(error instanceof FeatureGroupNotFoundError)) throw error;
    }
    try {
      return await this.createFeatureGroup(spec);
    } catch (error) {
      // Another caller created it first: theirs is the one to use.
      if (error instanceof FeatureGroupExistsError) return this.getFeatureGroup(spec.name, spec.version);
      throw error;
    }
  }

  async getFeatureGroups(name?: string): Promise<RemoteFeatureGroup[]> {
    const { items } = await this.ctx.client.json<{ items: FeatureGroupJson[] }>('GET', `${this.path}/featuregroups`, { query: { name } });
    return items.map((json) => this.group(json));
  }

  async createFeatureView(spec: FeatureViewSpec): Promise<RemoteFeatureView> {
    const { name, version, description, definition } = checkFeatureViewSpec(spec);
    const body = { name, version, description, ...definition, query: describeQuery(definition.query) };
    return this.view(await this.ctx.client.json<FeatureViewJson>('POST', `${this.path}/featureviews`, { json: body }));
  }

  async getFeatureView(name: string, version?: number): Promise<RemoteFeatureView> {
    const path = this.versionPath('featureviews', name, version, FeatureViewNotFoundError);
    return this.view(await this.ctx.client.json<FeatureViewJson>('GET', path));
  }

  async getOrCreateFeatureView(spec: FeatureViewSpec): Promise<RemoteFeatureView> {
    const { name, version, definition } = checkFeatureViewSpec(spec);
    if (version === undefined) {
      const versions = await this.getFeatureViews(name);
      const same = versions.reverse().find((v) => sameDefinition(v.definition, definition));
      if (same !== undefined) return same;
    }
    return this.createFeatureView(spec);
  }

  async getFeatureViews(name?: string): Promise<RemoteFeatureView[]> {
    const { items } = await this.ctx.client.json<{ items: FeatureViewJson[] }>('GET', `${this.path}/featureviews`, { query: { name } });
    const groups = this.groupCache();
    return Promise.all(items.map((json) => this.view(json, groups)));
  }

  /**
   * The path of a group or view version (the newest without `version`). A name or version no path can hold names
   * nothing there, as it finds nothing embedded: not found, rather than a malformed request.
   */
  private versionPath(area: 'featuregroups' | 'featureviews', name: string, version: number | undefined, NotFound: new (message: string, details: Record<string, unknown>) => Error): string {
    const addressable = typeof name === 'string' && /^[a-z][a-z0-9_]{0,62}$/.test(name) && (version === undefined || (Number.isSafeInteger(version) && version >= 1 && version <= 1_000_000));
    if (!addressable) throw new NotFound(`${area === 'featuregroups' ? 'feature group' : 'feature view'} ${name}${version === undefined ? '' : ` version ${version}`} not found`, { name, version });
    return `${this.path}/${area}/${segment(name)}${version === undefined ? '' : `/${version}`}`;
  }

  private group(json: FeatureGroupJson): RemoteFeatureGroup {
    return new RemoteFeatureGroup(this.ctx, this.projectName, json);
  }

  /**
   * A view with its query built back from the server's description with this store's builders (so its plan has the
   * groups' ids, as the embedded view's has); the groups are fetched once per call however many views read them.
   */
  private async view(json: FeatureViewJson, groups = this.groupCache()): Promise<RemoteFeatureView> {
    const { query, groups: read } = await queryOf(groups, json.query);
    return new RemoteFeatureView(this.ctx, this.projectName, json, query, read);
  }

  private groupCache(): Pick<FeatureStore, 'getFeatureGroup'> {
    const fetched = new Map<string, Promise<FeatureGroup>>();
    return {
      getFeatureGroup: (name, version) => {
        const key = `${name}:${version ?? ''}`;
        let group = fetched.get(key);
        if (group === undefined) {
          group = this.getFeatureGroup(name, version);
          fetched.set(key, group);
        }
        return group;
      },
    };
  }
}

