import type { Command } from 'commander';
import { parseCount } from '../sizes.js';
import { formatTable } from '../text-table.js';
import { commitHistory, type CommitSummary } from '../../featurestore/records/commit-summary.js';
import { commitText } from './commit-summary.js';
import { featureGroupSummary, type FeatureGroupSummary } from '../../featurestore/records/feature-group-summary.js';
import { featureRoles } from './feature-group-summary.js';
import { fgAction } from './fg-context.js';

/** `describe --json`: the feature group and its newest commit (null before the first insert). */
export interface FeatureGroupDescription extends FeatureGroupSummary {
  latestCommit: CommitSummary | null;
}

function describeText(d: FeatureGroupDescription): string {
  const lines = [
    `${d.name} version ${d.version}`,
    `description:   ${d.description}`,
    `primary key:   ${d.primaryKey.join(', ')}`,
    `event time:    ${d.eventTime ?? '-'}`,
    `partition key: ${d.partitionKey.length === 0 ? '-' : d.partitionKey.join(', ')}`,
    `online:        ${d.onlineTable === null ? 'no' : `yes, table ${d.onlineTable}`}`,
    `location:      ${d.location}`,
    `latest commit: ${d.latestCommit === null ? '-' : commitText(d.latestCommit)}`,
  ].map((line) => line.trimEnd() + '\n');
  if (d.features.length === 0) return lines.join('') + 'features:      none yet (inferred at the first insert)\n';
  const rows = d.features.map((f) => [f.name, f.type, featureRoles(f), f.description]);
  return lines.join('') + '\n' + formatTable(['FEATURE', 'TYPE', 'ROLE', 'DESCRIPTION'], rows);
}

export function registerDescribe(fg: Command): void {
  fg.command('describe')
    .description('show a feature group: features with types and key roles, location, online table, latest commit')
    .argument('<name>')
    .option('--version <n>', 'the version (default: the newest)', (v: string) => parseCount(v, 'version'))
    .action(
      fgAction<[string, { version?: number }]>(async (ctx, name, options) => {
        const fg = await ctx.featureGroup(name, options.version);
        const description: FeatureGroupDescription = { ...featureGroupSummary(fg), latestCommit: (await commitHistory(fg, 1))[0] ?? null };
        await ctx.out.result(description);
        if (!ctx.out.json) await ctx.out.write(describeText(description));
      }),
    );
}
