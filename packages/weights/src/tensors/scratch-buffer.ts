/**
 * Memory reused from one tensor load to the next. A streaming converter decodes a tensor, writes it
 * and forgets it; handing the same buffer to every load spares the allocation, zeroing and page
 * faults of a fresh buffer per tensor (a third of a Swin-B conversion's time otherwise).
 */
export class ScratchBuffer {
  private buffer = new ArrayBuffer(0);

  /** A buffer of at least `bytes` bytes; its contents are valid until the next take. */
  take(bytes: number): ArrayBuffer {
    if (this.buffer.byteLength < bytes) this.buffer = new ArrayBuffer(Math.max(bytes, Math.min(2 * this.buffer.byteLength, 1 << 30)));
    return this.buffer;
  }
}
