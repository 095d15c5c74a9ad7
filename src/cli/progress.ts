import { Transform } from 'node:stream';

/** Below this a transfer is over before a bar would tell anyone anything. */
export const PROGRESS_THRESHOLD = 8 * 1024 * 1024;

export interface ProgressSettings {
  /** False with --json, or when stderr is not a terminal: a bar's control characters would only pollute a log. */
  enabled: boolean;
}

export function progressSettings(json: boolean): ProgressSettings {
  return { enabled: !json && process.stderr.isTTY === true };
}

/**
 * A pass-through stage for a transfer's pipeline that draws a byte progress bar on stderr, or undefined when no bar
 * is wanted (disabled, unknown size, or a small file). cli-progress is loaded only then: every command pays for
 * what it imports at start-up, and most never draw a bar.
 */
export async function progressStage(settings: ProgressSettings, label: string, total: number | undefined): Promise<Transform | undefined> {
  if (!settings.enabled || total === undefined || total <= PROGRESS_THRESHOLD) return undefined;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} MiB | ETA {eta_formatted}`,
      formatValue: (value, _options, type) => (type === 'value' || type === 'total' ? (value / (1024 * 1024)).toFixed(1) : String(value)),
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let done = 0;
  let stopped = false;
  const stop = () => {
    if (!stopped) bar.stop();
    stopped = true;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      bar.update(done);
      callback(null, chunk);
    },
    flush(callback) {
      stop();
      callback();
    },
    destroy(error, callback) {
      stop();
      callback(error);
    },
  });
}

/** Stops an activity indicator and clears its line, leaving the terminal to the command's summary. */
export type StopIndicator = () => void;

const INDICATOR_WIDTH = 24;
const INDICATOR_BLOCK = 4;

/**
 * An indeterminate indicator on stderr (a block bouncing in a bar, and the elapsed time) for work whose progress the
 * API does not report, such as a feature group insert reading its file; undefined when no indicator is wanted
 * (disabled, or an input of at most PROGRESS_THRESHOLD bytes, done before an indicator would tell anyone anything).
 */
export async function activityIndicator(settings: ProgressSettings, label: string, size: number | undefined): Promise<StopIndicator | undefined> {
  if (!settings.enabled || size === undefined || size <= PROGRESS_THRESHOLD) return undefined;
  const { default: cliProgress } = await import('cli-progress');
  const span = INDICATOR_WIDTH - INDICATOR_BLOCK;
  const bar = new cliProgress.SingleBar({
    // cli-progress redraws on its own timer whenever the text changes, so the block moves with no updates from us.
    format: (_options, params) => {
      const elapsed = Date.now() - params.startTime;
      const step = Math.floor(elapsed / 100) % (2 * span);
      const at = step <= span ? step : 2 * span - step;
      const bounce = ' '.repeat(at) + '='.repeat(INDICATOR_BLOCK) + ' '.repeat(span - at);
      return `${label} [${bounce}] ${(elapsed / 1000).toFixed(1)} s`;
    },
    stream: process.stderr,
    // The work may end by Ctrl-C with no handler of ours to restore a hidden cursor.
    hideCursor: false,
    clearOnComplete: true,
  });
  bar.start(1, 0);
  let stopped = false;
  return () => {
    if (!stopped) bar.stop();
    stopped = true;
  };
}
