import { describe, expect, it } from "vitest";
import { Rng } from "../../data/rng.js";
import { HEAP_ALIGN, WasmHeap } from "./wasm-heap.js";
import { WASM_PAGE_BYTES, type WasmMemory, webAssembly } from "./webassembly-api.js";

function memory(pages: number): WasmMemory {
  const wasm = webAssembly();
  if (wasm === undefined) throw new Error("these tests need WebAssembly");
  return new wasm.Memory({ initial: pages });
}

describe("WasmHeap", () => {
  it("hands out aligned, non-overlapping blocks and never address 0", () => {
    const heap = new WasmHeap(memory(1));
    const sizes = [1, 64, 65, 100, 0, 3000];
    const blocks = sizes.map((s) => ({ ptr: heap.alloc(s), size: Math.max(s, 1) }));
    for (const b of blocks) {
      expect(b.ptr).toBeGreaterThan(0);
      expect(b.ptr % HEAP_ALIGN).toBe(0);
    }
    const sorted = [...blocks].sort((a, b) => a.ptr - b.ptr);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i].ptr).toBeGreaterThanOrEqual(sorted[i - 1].ptr + sorted[i - 1].size);
    }
  });

  it("reuses freed space and merges neighbours back into one span", () => {
    const heap = new WasmHeap(memory(1));
    const a = heap.alloc(1000);
    const b = heap.alloc(1000);
    const c = heap.alloc(1000);
    heap.release(a);
    heap.release(c);
    heap.release(b);
    expect(heap.usedBytes).toBe(0);
    // After merging, the whole page minus the reserved first line fits in one block.
    const big = heap.alloc(WASM_PAGE_BYTES - HEAP_ALIGN);
    expect(big).toBe(a);
    expect(heap.totalBytes).toBe(WASM_PAGE_BYTES);
  });

  it("grows the memory when nothing fits and keeps the views current", () => {
    const heap = new WasmHeap(memory(1));
    const small = heap.alloc(100);
    heap.f32[small >>> 2] = 42;
    const big = heap.alloc(3 * WASM_PAGE_BYTES);
    expect(heap.totalBytes).toBeGreaterThanOrEqual(4 * WASM_PAGE_BYTES);
    expect(heap.f32[small >>> 2]).toBe(42); // old contents survive growth
    expect(heap.f64.length * 8).toBe(heap.totalBytes);
    heap.f64[(big >>> 3) + 3 * (WASM_PAGE_BYTES / 8) - 1] = 1; // the last double is writable
  });

  it("stays consistent under a seeded random mix of allocations and releases", () => {
    const heap = new WasmHeap(memory(1));
    const rng = new Rng(3);
    const live = new Map<number, number>();
    for (let step = 0; step < 2000; step++) {
      if (live.size > 0 && rng.next() < 0.45) {
        const ptrs = [...live.keys()];
        const p = ptrs[rng.int(ptrs.length)];
        heap.release(p);
        live.delete(p);
      } else {
        const size = 1 + rng.int(20000);
        const p = heap.alloc(size);
        for (const [q, s] of live) expect(p + size <= q || q + s <= p).toBe(true);
        live.set(p, size);
      }
    }
    for (const p of live.keys()) heap.release(p);
    expect(heap.usedBytes).toBe(0);
  });

  it("refuses to release what it did not allocate, or twice", () => {
    const heap = new WasmHeap(memory(1));
    const p = heap.alloc(10);
    heap.release(p);
    expect(() => heap.release(p)).toThrow(
      `WasmHeap.release: ${p} is not the address of a live allocation`,
    );
    expect(() => heap.release(12345)).toThrow("is not the address of a live allocation");
    expect(() => heap.alloc(-1)).toThrow("non-negative integer byte count, got -1");
  });
});
