import { WASM_PAGE_BYTES, type WasmMemory } from "./webassembly-api.js";

/** Every block starts on a cache line, which also satisfies SIMD and float64 alignment. */
export const HEAP_ALIGN = 64;

interface Span {
  start: number;
  size: number;
}

/**
 * A first-fit allocator over one growable WebAssembly.Memory: matrices and per-call scratch
 * vectors live here. Free spans are kept sorted by address and merged with their neighbours, so
 * freeing everything leaves one span. The memory grows when no span fits (it never shrinks: a
 * WebAssembly memory cannot). Growing detaches the old ArrayBuffer, so typed-array views must be
 * taken from `f32` / `f64` after any allocation, never kept across one.
 */
export class WasmHeap {
  private readonly free: Span[] = [];
  private readonly used = new Map<number, number>();
  private buffer: ArrayBuffer | undefined;
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  private usedTotal = 0;

  constructor(readonly memory: WasmMemory) {
    // Address 0 is never handed out, so a pointer is never falsy.
    const end = memory.buffer.byteLength;
    if (end > HEAP_ALIGN) this.free.push({ start: HEAP_ALIGN, size: end - HEAP_ALIGN });
  }

  /** Bytes currently allocated (rounded up to the alignment). */
  get usedBytes(): number {
    return this.usedTotal;
  }

  /** Bytes of WebAssembly memory reserved so far. */
  get totalBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** A block of at least `bytes` bytes (contents undefined), aligned to HEAP_ALIGN. */
  alloc(bytes: number): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new RangeError(`WasmHeap.alloc needs a non-negative integer byte count, got ${bytes}`);
    }
    const size = Math.max(HEAP_ALIGN, Math.ceil(bytes / HEAP_ALIGN) * HEAP_ALIGN);
    let i = this.free.findIndex((s) => s.size >= size);
    if (i < 0) i = this.grow(size);
    const span = this.free[i];
    const ptr = span.start;
    if (span.size === size) this.free.splice(i, 1);
    else {
      span.start += size;
      span.size -= size;
    }
    this.used.set(ptr, size);
    this.usedTotal += size;
    return ptr;
  }

  /** Returns a block to the heap. */
  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) {
      throw new Error(`WasmHeap.release: ${ptr} is not the address of a live allocation`);
    }
    this.used.delete(ptr);
    this.usedTotal -= size;
    let i = 0;
    while (i < this.free.length && this.free[i].start < ptr) i++;
    this.free.splice(i, 0, { start: ptr, size });
    // Merge with the next span, then with the previous one.
    const next = this.free[i + 1];
    if (next !== undefined && ptr + size === next.start) {
      this.free[i].size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev !== undefined && prev.start + prev.size === ptr) {
      prev.size += this.free[i].size;
      this.free.splice(i, 1);
    }
  }

  /** A Float32Array over the whole memory, current after any growth. */
  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  /** A Float64Array over the whole memory, current after any growth. */
  get f64(): Float64Array {
    this.refresh();
    return this.f64View;
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.f32View = new Float32Array(buffer);
      this.f64View = new Float64Array(buffer);
    }
  }

  /** Grows the memory so that a block of `size` bytes fits at its end; returns that span's index. */
  private grow(size: number): number {
    const end = this.memory.buffer.byteLength;
    const tail = this.free[this.free.length - 1];
    const tailFree = tail !== undefined && tail.start + tail.size === end ? tail.size : 0;
    const needed = Math.ceil((size - tailFree) / WASM_PAGE_BYTES);
    // Grow by at least an eighth of the current size, so many small growths stay few.
    const pages = Math.max(needed, Math.ceil(end / WASM_PAGE_BYTES / 8));
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(needed);
      } catch (error) {
        throw new RangeError(
          `WasmHeap: cannot grow WebAssembly memory from ${end} bytes to fit a ${size}-byte block (${String(error)})`,
        );
      }
    }
    const newEnd = this.memory.buffer.byteLength;
    if (tailFree > 0) tail.size += newEnd - end;
    else
      this.free.push({
        start: Math.max(end, HEAP_ALIGN),
        size: newEnd - Math.max(end, HEAP_ALIGN),
      });
    return this.free.length - 1;
  }
}
