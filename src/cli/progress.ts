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
