import cliProgress from 'cli-progress';

/** Reports progress of long work: a bar on a TTY, plain lines otherwise (CI logs, pipes). */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

/** Work shorter than this shows no progress at all: a bar that flashes by is noise. */
const SHOW_AFTER_MS = 1000;

/** A progress reporter on stderr; `quiet` silences it (e.g. --json output). */
export function createProgress(title: string, quiet = false): Progress {
  if (quiet) return { update() {}, stop() {} };
  const inner = createVisibleProgress(title);
  const start = Date.now();
  return {
    update(done, total, label) {
      if (Date.now() - start >= SHOW_AFTER_MS) inner.update(done, total, label);
    },
    stop: () => inner.stop(),
  };
}

function createVisibleProgress(title: string): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${title} [{bar}] {percentage}% {value}/{total} {label}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, label = '') {
        if (!started) {
          bar.start(total, done, { label });
          started = true;
        }
        bar.setTotal(total);
        bar.update(done, { label });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  // Without a TTY: a line at each 10% step, so logs stay short but show that work advances.
  let lastDecile = -1;
  return {
    update(done, total, label = '') {
      const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (decile === lastDecile) return;
      lastDecile = decile;
      process.stderr.write(`${title}: ${done}/${total}${label ? ` ${label}` : ''}\n`);
    },
    stop() {},
  };
}
