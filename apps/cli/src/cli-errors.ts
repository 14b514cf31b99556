import { AllocationLimitError, SwinError } from '@swin/core';

/** The command line itself is wrong (unknown flag, missing argument): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs a flag value's parser, reporting what it throws as a bad command line (exit 2). */
export function usage<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${flag}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A Node system error (ENOENT, EACCES...): its message already names the path. */
function isSystemError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code);
}

/** Exit codes: 0 ok, 1 a typed failure (bad file, bad config, backend error, I/O), 2 usage, 3 unexpected. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return 2;
  if (err instanceof SwinError || isSystemError(err)) return 1;
  return 3;
}

/** One line naming what went wrong; unexpected errors keep their stack for bug reports. */
export function describeError(err: unknown): string {
  if (err instanceof UsageError) return `swin: ${err.message} (see swin --help)`;
  if (err instanceof AllocationLimitError) return `swin: error [${err.code}]: ${err.message} (raise it with --max-memory SIZE or SWIN_MAX_MEMORY)`;
  if (err instanceof SwinError) return `swin: error [${err.code}]: ${err.message}`;
  if (isSystemError(err)) return `swin: error [IO_ERROR]: ${err.message}`;
  return `swin: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}
