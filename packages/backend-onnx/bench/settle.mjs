// The pause before every timed run of an interleaved benchmark.
//
// Each onnxruntime session owns its intra-op thread pool, and after a run its worker threads keep
// spinning (busy-waiting for the next parallel section) for about 15-30 ms before they sleep. In an
// interleaved loop the next session's run starts inside that window and shares the two cores with
// the spinning threads of the one before it. Measured on the 2-core development machine, quiet,
// Swin-T 224 batch 1, three files interleaved, median of 10 (scratch script): with no pause our
// float32 took 64.7 ms, int8 42.0 ms, PyTorch's export 63.7 ms; with 30 ms or 100 ms between runs
// 42.6-43.3, 22.0-22.4 and 47.5-48.2 ms; 5 ms and 15 ms were in between. `bench-cpu.mjs
// --settle-ms 0` shows it with the committed benchmark. So without the pause an
// interleaved run times the neighbours' spinning, not the file, and unevenly so (int8 doubled). A
// single session run back to back is not affected: its own pool is the one spinning.

/** Milliseconds to wait before each timed run: well past the spin window, small next to a run. */
export const SETTLE_MS = 100;

/** Waits `ms` (SETTLE_MS by default) so the previous session's intra-op threads have gone to sleep. */
export function settle(ms = SETTLE_MS) {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
