import type { ConvertProgress } from './convert-checkpoint-file.js';

const MB = 1024 * 1024;

/**
 * A progress callback for convertCheckpointFile that draws a bar on a terminal (redrawn in place)
 * and prints plain lines at every 10% otherwise (logs, CI), so output stays readable in both.
 */
export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr, label = 'converting'): (p: ConvertProgress) => void {
  const start = Date.now();
  let lastStep = -1;
  let lastDraw = 0;
  return (p) => {
    const fraction = p.totalBytes > 0 ? p.writtenBytes / p.totalBytes : 1;
    const done = p.tensorIndex === p.tensorCount;
    const seconds = Math.max(1e-3, (Date.now() - start) / 1000);
    const figures = `${(p.writtenBytes / MB).toFixed(1)}/${(p.totalBytes / MB).toFixed(1)} MB, ${(p.writtenBytes / MB / seconds).toFixed(0)} MB/s`;
    if (stream.isTTY) {
      const now = Date.now();
      if (!done && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      const name = p.tensorName.length > 40 ? `...${p.tensorName.slice(-37)}` : p.tensorName;
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${figures} ${name}\x1b[K`);
      if (done) stream.write('\n');
      return;
    }
    const step = Math.floor(fraction * 10);
    if (step > lastStep || done) {
      lastStep = step;
      stream.write(`${label}: ${(fraction * 100).toFixed(0)}% (${figures}, tensor ${p.tensorIndex}/${p.tensorCount})\n`);
    }
  };
}
