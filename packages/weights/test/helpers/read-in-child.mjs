// Reads a checkpoint in a fresh process (the built package) and prints one JSON line: the outcome
// and the process's peak RSS. The memory tests run it with a V8 heap cap so a runaway allocation
// fails fast, and compare the peak RSS with the budget.
import { inspectCheckpointFile, readCheckpointFile, scanNonFiniteFile } from '../../dist/node/index.js';

const [mode, path] = process.argv.slice(2);
let outcome;
try {
  if (mode === 'read') {
    const c = readCheckpointFile(path);
    let bytes = 0;
    for (const t of c.tensors.values()) bytes += t.data.byteLength;
    outcome = { ok: true, tensors: c.tensors.size, bytes };
  } else if (mode === 'scan') {
    const r = scanNonFiniteFile(path);
    outcome = { ok: true, count: r.count, tensors: r.tensorsScanned };
  } else {
    inspectCheckpointFile(path);
    outcome = { ok: true };
  }
} catch (e) {
  outcome = { ok: false, code: e?.code ?? 'CRASH', message: String(e?.message ?? e).slice(0, 300) };
}
console.log(JSON.stringify({ ...outcome, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
