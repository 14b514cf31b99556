import { BackendError, type Backend, type Graph, type TensorData } from '@swin/core';

/** What happened when a graph was handed to a backend. */
export type Execution =
  | { readonly kind: 'ok'; readonly outputs: Record<string, TensorData> }
  | { readonly kind: 'unsupported'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/** True for the typed errors a backend uses to decline work it does not support. */
export function isUnsupportedError(err: unknown): err is BackendError {
  return err instanceof BackendError && (err.code === 'UNSUPPORTED_OP' || err.code === 'UNSUPPORTED_DTYPE');
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}${'code' in err ? ` [${String((err as { code: unknown }).code)}]` : ''}: ${err.message}`;
  return String(err);
}

/** Compiles, runs once and disposes; a declined compile is 'unsupported', anything else thrown is 'error'. */
export async function executeOnBackend(backend: Backend, graph: Graph, inputs: Record<string, TensorData>): Promise<Execution> {
  let exe;
  try {
    exe = await backend.compile(graph);
  } catch (err) {
    // Some backends throw plain errors; the code is what makes an error a declaration of non-support.
    if (isUnsupportedError(err)) return { kind: 'unsupported', message: describeError(err) };
    return { kind: 'error', message: `compile failed: ${describeError(err)}` };
  }
  try {
    return { kind: 'ok', outputs: await exe.run(inputs) };
  } catch (err) {
    if (isUnsupportedError(err)) return { kind: 'unsupported', message: describeError(err) };
    return { kind: 'error', message: `run failed: ${describeError(err)}` };
  } finally {
    exe.dispose();
  }
}
