import type { Command } from 'commander';
import { FeatureGroupNotFoundError } from '../../errors/featurestore-errors.js';
import { formatTable } from '../text-table.js';
import { commitHistory } from '../../featurestore/records/commit-summary.js';
import { fgAction } from './fg-context.js';

/** One row of `humle fg list`. */
export interface FeatureGroupListing {
  name: string;
  version: number;
  description: string;
  onlineEnabled: boolean;
  featureCount: number;
  commitCount: number;
}

/** Enough to count every commit a feature group can have made; commitDetails needs some limit. */
const ALL_COMMITS = 1_000_000_000;

export function registerList(fg: Command): void {
  fg.command('list')
    .description("list the project's feature groups (every version), or the versions of NAME")
    .argument('[name]', 'only this feature group')
    .action(
      fgAction<[string | undefined]>(async (ctx, name) => {
        const groups = await (await ctx.featureStore()).getFeatureGroups(name);
        // As `humle fs ls` of a missing path: naming something that does not exist is an error, not an empty list.
        if (name !== undefined && groups.length === 0) throw new FeatureGroupNotFoundError(`feature group ${name} not found`, { name });
        const listings: FeatureGroupListing[] = [];
        for (const fg of groups) {
          listings.push({
            name: fg.name,
            version: fg.version,
            description: fg.description,
            onlineEnabled: fg.onlineEnabled,
            featureCount: fg.features.length,
            commitCount: (await commitHistory(fg, ALL_COMMITS)).length,
          });
        }
        listings.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version));
        await ctx.out.result(listings);
        if (ctx.out.json) return;
        const rows = listings.map((l) => [l.name, String(l.version), l.onlineEnabled ? 'yes' : 'no', String(l.featureCount), String(l.commitCount)]);
        await ctx.out.write(formatTable(['NAME', 'VERSION', 'ONLINE', 'FEATURES', 'COMMITS'], rows, ['left', 'right', 'left', 'right', 'right']));
      }),
    );
}
