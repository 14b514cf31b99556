/** The error an aborted operation rejects with: the signal's own reason when it is one, else a DOMException named AbortError. */
export function abortError(signal: AbortSignal | undefined, what: string): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException(`${what} was aborted`, 'AbortError');
}

/** Throws the AbortError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw abortError(signal, what);
}
