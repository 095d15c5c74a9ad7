import { Option, type Command } from 'commander';
import { checkFeatureGroupSpec, type FeatureGroupSpec } from '../../featurestore/feature-group-spec.js';
import { parseCount } from '../sizes.js';
import { collectFeatureOption, type FeatureOption } from './feature-option.js';
import { featureGroupSummary } from '../../featurestore/records/feature-group-summary.js';
import { fgAction } from './fg-context.js';

interface CreateOptions {
  primaryKey: string;
  eventTime?: string;
  version?: number;
  online?: boolean;
  description?: string;
  feature?: FeatureOption[];
}

/** `a,b` → ['a', 'b']; spaces around names are the shell's, not the names'. */
function featureNames(list: string): string[] {
  return list.split(',').map((name) => name.trim());
}

function specOf(name: string, options: CreateOptions): FeatureGroupSpec {
  return {
    name,
    version: options.version,
    description: options.description,
    primaryKey: featureNames(options.primaryKey),
    eventTime: options.eventTime,
    onlineEnabled: options.online === true,
    features: options.feature,
  };
}

export function registerCreate(fg: Command): void {
  fg.command('create')
    .description('create a feature group version; without --feature the schema is inferred from the first insert')
    .argument('<name>', 'feature group name: lowercase letters, digits and underscores')
    .requiredOption('--primary-key <names>', 'the primary key features, comma-separated')
    .option('--event-time <name>', 'the feature that says when a row became true (timestamp, date or bigint)')
    .option('--version <n>', 'the version (default: one more than the newest, or 1)', (v: string) => parseCount(v, 'version'))
    .option('--online', 'keep the latest row per primary key in the online store')
    .option('--description <text>', 'what the feature group holds')
    .addOption(
      new Option('--feature <name:type[:description]>', 'a feature, repeated in column order (types: int, bigint, double, decimal(10,2), array<double>...)')
        .argParser(collectFeatureOption),
    )
    .action(
      fgAction<[string, CreateOptions]>(async (ctx, name, options) => {
        const fs = await ctx.featureStore({ createProject: true });
        const fg = await fs.createFeatureGroup(specOf(name, options));
        await ctx.out.line(`Created feature group ${fg.name} version ${fg.version} in project ${ctx.projectName}`);
        await ctx.out.result(featureGroupSummary(fg));
      }, (_settings, name, options) => {
        // Checked before Humle opens: a bad definition must not create the project on its way to failing.
        checkFeatureGroupSpec(specOf(name, options));
      }),
    );
}
