#!/usr/bin/env node
import { describeError, exitCodeFor, UsageError } from './cli-errors.js';
import { importOptionalBackend } from './optional-backends.js';
import { applyResourceLimits } from './resource-limits.js';
import { infoCommand } from './commands/info.js';
import { runCommand } from './commands/run.js';
import { fetchCommand } from './commands/fetch.js';
import { benchCommand } from './commands/bench.js';
import { convertCommand } from './commands/convert.js';
import { classifyCommand } from './commands/classify.js';
import { exportOnnxCommand } from './commands/export-onnx.js';

const HELP = `swin: Swin Transformer inference from the command line

Usage: swin <command> [options]   (swin <command> --help for details)

Commands:
  classify      what is in these pictures (JPEG, PNG, WebP); the default model works offline
  run           run a checkpoint on an .npy input, write the outputs
  info          show a checkpoint's format, scheme, architecture, parameters and MACs;
                without one, every variant with its sources, parameters and MACs
  convert       any checkpoint to canonical safetensors (f32/f16/bf16), optionally adapted
  export-onnx   write a standard ONNX model (dynamic batch, opset 17)
  fetch         download, verify, convert and cache an official checkpoint
  bench         time whole-model inference across backends and batch sizes

Backends (--backend): onnx (onnxruntime) and reference come with the CLI; tfjs, tfjs-wasm and
webgpu are optional packages: ask for one that is missing and swin prints the command that adds it.

Limits (any command; see apps/cli/README.md):
  --max-memory SIZE   largest allocation or operation (512M, 8G...); env SWIN_MAX_MEMORY;
                      default half the available memory
  --max-pixels N      largest picture classify decodes; env SWIN_MAX_PIXELS; default 64000000`;

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  classify: classifyCommand,
  run: runCommand,
  info: infoCommand,
  convert: convertCommand,
  'export-onnx': exportOnnxCommand,
  fetch: fetchCommand,
  bench: benchCommand,
};

/** True when the command line asks for the webgpu backend (which needs a Dawn-safe node process). */
function wantsWebGpu(argv: readonly string[]): boolean {
  return argv.some((a, i) => (a === '--backend' && /(^|,)webgpu(,|$)/.test(argv[i + 1] ?? '')) || /^--backend=(.*,)?webgpu(,|$)/.test(a));
}

async function main(argvWithLimits: string[]): Promise<void> {
  const { argv } = applyResourceLimits(argvWithLimits);
  if (wantsWebGpu(argv)) {
    // Dawn crashes once V8 fully optimizes hot code: rerun this command in a node with --max-opt=2.
    // Dawn's Vulkan loader complains on every start when XDG_RUNTIME_DIR is unset (CI, containers).
    process.env['XDG_RUNTIME_DIR'] ??= (await import('node:os')).tmpdir();
    const { relaunchWithDawnFlags } = await importOptionalBackend<typeof import('@swin/backend-webgpu/node')>('webgpu', '@swin/backend-webgpu/node');
    relaunchWithDawnFlags();
  }
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}': expected one of ${Object.keys(COMMANDS).join(', ')}`);
  await command(rest);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(describeError(err));
  process.exitCode = exitCodeFor(err);
});
