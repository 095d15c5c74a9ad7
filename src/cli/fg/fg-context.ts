import { checkProjectName } from '../../featurestore/project/project-name.js';
import type { FeatureGroup } from '../../sdk/feature-group.js';
import type { FeatureStore } from '../../sdk/feature-store.js';
import type { HumleConnection } from '../../sdk/humle-connection.js';
import { openHumle } from '../open-humle.js';
import { Output } from '../output.js';
import { progressSettings, type ProgressSettings } from '../progress.js';
import { commandAction } from '../command-action.js';
import type { GlobalOptions, Settings } from '../settings.js';

/** The options of `humle fg` itself, which every subcommand sees next to the global ones. */
export interface FgGroupOptions extends GlobalOptions {
  project?: string;
}

/** The project a `humle fg` command works in when neither --project nor HUMLE_PROJECT names one. */
export const DEFAULT_PROJECT = 'default';

/**
 * What every `humle fg` subcommand works with: Humle (on the data directory as the user, or on the server of --url
 * as the API key's user), its project's name, and the output.
 */
export interface FgContext {
  humle: HumleConnection;
  out: Output;
  settings: Settings;
  progress: ProgressSettings;
  projectName: string;
  /**
   * The project's feature store. Only `create` makes the project on first use: a command that reads, or names
   * something that does not exist, must change nothing, so for it a missing project is PROJECT_NOT_FOUND.
   */
  featureStore(options?: { createProject?: boolean }): Promise<FeatureStore>;
  /** A feature group version of the project (the newest version without `version`). */
  featureGroup(name: string, version?: number): Promise<FeatureGroup>;
}

/** --project, else HUMLE_PROJECT, else `default`: the same precedence as the global settings. */
export function resolveProjectName(options: FgGroupOptions, env: NodeJS.ProcessEnv = process.env): string {
  const name = options.project ?? (env.HUMLE_PROJECT === '' ? undefined : env.HUMLE_PROJECT) ?? DEFAULT_PROJECT;
  return checkProjectName(name);
}

/**
 * Wraps a subcommand body as a commander action (see commandAction) with Humle opened by the settings (see
 * openHumle) and the project name resolved; `validate` may look at local files, and sees the settings for --json.
 */
export function fgAction<A extends unknown[]>(
  body: (ctx: FgContext, ...args: A) => Promise<void>,
  validate?: (settings: Settings, ...args: A) => void | Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return commandAction<FgContext, A, FgGroupOptions>(
    async (settings, options) => {
      const projectName = resolveProjectName(options);
      const { humle } = await openHumle(settings);
      const featureStore = async (options: { createProject?: boolean } = {}) => {
        const project = options.createProject ? await humle.getOrCreateProject(projectName) : await humle.project(projectName);
        return project.featureStore();
      };
      const context: FgContext = {
        humle,
        out: new Output(settings.json),
        settings,
        progress: progressSettings(settings.json),
        projectName,
        featureStore,
        featureGroup: async (name, version) => (await featureStore()).getFeatureGroup(name, version),
      };
      return { context, close: () => humle.close() };
    },
    body,
    async (settings, options, ...args: A) => {
      // The project name is checked with the arguments, before anything is opened.
      resolveProjectName(options);
      await validate?.(settings, ...args);
    },
  );
}
