import { checkLength, checkMatrixShape, checkWidth } from "./kernel-args.js";
import type { KernelMatrix, Kernels } from "./kernels.js";
import { WasmHeap } from "./wasm/wasm-heap.js";
import { type WasmModule, webAssembly } from "./wasm/webassembly-api.js";

/** The WebAssembly SIMD backend, with one extra used by the benchmark. */
export interface WasmKernels extends Kernels {
  readonly name: "wasm-simd";
  /**
   * Sum of every stored value of `m` (padding included) in one SIMD streaming read: the
   * memory-bound floor of any single pass over the matrix.
   */
  streamSum(m: KernelMatrix): number;
  /** Bytes of WebAssembly memory allocated / reserved, for tests and diagnostics. */
  memoryUse(): { usedBytes: number; totalBytes: number };
}

/** The exports of kernels.wat (pointers are byte addresses into the shared memory). */
interface KernelExports {
  sq_hinge(
    x: number,
    rows: number,
    tiles: number,
    y: number,
    wg: number,
    vec: number,
    idx: number,
    kept: number,
    cols: number,
  ): number;
  mat_vec(
    x: number,
    rows: number,
    tiles: number,
    wg: number,
    vec: number,
    out: number,
    idx: number,
    kept: number,
  ): void;
  mat_tvec(
    x: number,
    rows: number,
    tiles: number,
    r: number,
    wg: number,
    vec: number,
    idx: number,
    kept: number,
    cols: number,
  ): void;
  mat_mul(x: number, rows: number, tiles: number, w: number, hp: number, out: number): void;
  mat_tmul(x: number, rows: number, tiles: number, g: number, hp: number, out: number): void;
  /** Packs rows of a float64 matrix into float32, row-major or chunked (chunked = 1). */
  gather_pack(
    src: number,
    idx: number,
    nr: number,
    nc: number,
    dst: number,
    nrp: number,
    ncp: number,
    chunked: number,
  ): void;
  /** Unpacks a float32 matrix (row-major or chunked) into float64 rows. */
  scatter_unpack(
    src: number,
    idx: number,
    nr: number,
    nc: number,
    nrp: number,
    ncp: number,
    chunked: number,
    dst: number,
    ndr: number,
  ): void;
  stream_sum(x: number, chunks: number): number;
}

const NAME = "wasm-simd";

/**
 * A matrix in the kernels' layout. Columns that are zero in every row are dropped (they add
 * nothing to any product; MNIST's blank border is 15-20% of the pixels), the `kept` others are
 * listed in a column map `idx` and zero-padded to a multiple of 4. Rows are grouped in blocks of
 * 4, the last one zero-padded; a block is a run of 4x4 tiles (row i's kept columns 4t..4t+3 at
 * tile t, offset 16 i). One pass over the matrix is then one sequential stream.
 */
class WasmMatrix implements KernelMatrix {
  disposed = false;
  /** Blocks of 4 rows. */
  readonly blocks: number;
  /** Tiles of 4 kept columns per row block. */
  readonly tiles: number;
  constructor(
    readonly owner: object,
    readonly ptr: number,
    readonly idx: number,
    readonly kept: number,
    readonly rows: number,
    readonly cols: number,
    private readonly free: (ptrs: number[]) => void,
  ) {
    this.blocks = Math.ceil(rows / 4);
    this.tiles = Math.ceil(kept / 4);
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.free([this.ptr, this.idx]);
  }
}

function roundUp4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/**
 * Instantiates the kernels module (see kernel-module.ts for compiling it) on a fresh growable
 * memory. Each instance has its own memory: a matrix works only with the instance that made it.
 */
export function createWasmKernels(module: WasmModule): WasmKernels {
  const wasm = webAssembly();
  if (wasm === undefined) throw new Error("wasm-simd kernels: WebAssembly is not available");
  // 16 pages = 1 MiB to start; the heap grows the memory as matrices arrive.
  const memory = new wasm.Memory({ initial: 16 });
  const instance = new wasm.Instance(module, { env: { memory } });
  const ex = instance.exports as unknown as KernelExports;
  const heap = new WasmHeap(memory);
  const owner = {};

  function own(m: KernelMatrix, op: string): WasmMatrix {
    if (!(m instanceof WasmMatrix) || m.owner !== owner) {
      throw new TypeError(
        `${NAME} ${op}: the matrix was made by another kernels backend or instance; make it with this backend's matrix()`,
      );
    }
    if (m.disposed) throw new Error(`${NAME} ${op}: the matrix was used after dispose()`);
    return m;
  }

  /** Runs `body` with scratch blocks of the given byte sizes, released afterwards. */
  function withScratch<T>(sizes: number[], body: (ptrs: number[]) => T): T {
    const ptrs: number[] = [];
    try {
      for (const s of sizes) ptrs.push(heap.alloc(s));
      return body(ptrs);
    } finally {
      for (const p of ptrs) heap.release(p);
    }
  }

  /** Copies v[0..n) into float64 scratch at ptr and zero-fills it up to `padded` values. */
  function put64(ptr: number, v: Float64Array, n: number, padded: number): void {
    const f64 = heap.f64;
    const at = ptr >>> 3;
    f64.set(v.length === n ? v : v.subarray(0, n), at);
    if (padded > n) f64.fill(0, at + n, at + padded);
  }

  /** Copies n float64 from scratch at ptr into out. */
  function get64(ptr: number, out: Float64Array, n: number): void {
    const at = ptr >>> 3;
    out.set(heap.f64.subarray(at, at + n));
  }

  return {
    name: NAME,

    matrix(x, rows, cols) {
      checkMatrixShape(NAME, x, rows, cols);
      const nonZero = new Uint8Array(cols);
      for (let j = 0; j < rows; j++) {
        const o = j * cols;
        for (let k = 0; k < cols; k++) if (x[o + k] !== 0) nonZero[k] = 1;
      }
      const keep: number[] = [];
      for (let k = 0; k < cols; k++) if (nonZero[k] === 1) keep.push(k);
      const kept = keep.length;
      const blocks = Math.ceil(rows / 4);
      const tiles = Math.ceil(kept / 4);
      const ptr = heap.alloc(blocks * tiles * 64);
      const idx = heap.alloc(kept * 4);
      new Int32Array(heap.memory.buffer, idx, kept).set(keep);
      const f32 = heap.f32;
      const base = ptr >>> 2;
      const blockFloats = tiles * 16;
      f32.fill(0, base, base + blocks * blockFloats);
      for (let j = 0; j < rows; j++) {
        const rowBase = base + (j >>> 2) * blockFloats + (j & 3) * 4;
        const src = j * cols;
        for (let r = 0; r < kept; r++) f32[rowBase + (r >>> 2) * 16 + (r & 3)] = x[src + keep[r]];
      }
      return new WasmMatrix(owner, ptr, idx, kept, rows, cols, (ptrs) => {
        for (const p of ptrs) heap.release(p);
      });
    },

    matVec(mm, w, out) {
      const m = own(mm, "matVec");
      checkLength("matVec", "w", w, m.cols);
      checkLength("matVec", "out", out, m.rows);
      withScratch([m.cols * 8, m.tiles * 32, m.blocks * 32], ([vec, wg, o]) => {
        put64(vec, w, m.cols, m.cols);
        ex.mat_vec(m.ptr, m.rows, m.tiles, wg, vec, o, m.idx, m.kept);
        get64(o, out, m.rows);
      });
    },

    matTVec(mm, r, out) {
      const m = own(mm, "matTVec");
      checkLength("matTVec", "r", r, m.rows);
      checkLength("matTVec", "out", out, m.cols);
      withScratch([m.blocks * 32, m.cols * 8, m.tiles * 32], ([rp, vec, wg]) => {
        put64(rp, r, m.rows, m.blocks * 4);
        ex.mat_tvec(m.ptr, m.rows, m.tiles, rp, wg, vec, m.idx, m.kept, m.cols);
        get64(vec, out, m.cols);
      });
    },

    squaredHinge(mm, y, w, g) {
      const m = own(mm, "squaredHinge");
      checkLength("squaredHinge", "y", y, m.rows);
      checkLength("squaredHinge", "w", w, m.cols);
      checkLength("squaredHinge", "g", g, m.cols);
      return withScratch([m.blocks * 32, m.cols * 8, m.tiles * 32], ([yp, vec, wg]) => {
        // Zero y on padded rows; the kernel also masks them out of the sum.
        put64(yp, y, m.rows, m.blocks * 4);
        put64(vec, w, m.cols, m.cols);
        const sum = ex.sq_hinge(m.ptr, m.rows, m.tiles, yp, wg, vec, m.idx, m.kept, m.cols);
        get64(vec, g, m.cols);
        return sum;
      });
    },

    matMul(mm, w, h, out) {
      const m = own(mm, "matMul");
      checkWidth("matMul", h);
      checkLength("matMul", "w", w, m.cols * h);
      checkLength("matMul", "out", out, m.rows * h);
      if (h === 0 || m.rows === 0) return;
      const hp = roundUp4(h);
      const keptP = m.tiles * 4;
      const rowsP = m.blocks * 4;
      withScratch(
        [m.cols * h * 8, keptP * hp * 4, rowsP * hp * 4, m.rows * h * 8],
        ([src, wp, op, dst]) => {
          put64(src, w, m.cols * h, m.cols * h);
          // W's rows for the kept columns only, in chunks of 4 units (read sequentially by mat_mul).
          ex.gather_pack(src, m.idx, m.kept, h, wp, keptP, hp, 1);
          ex.mat_mul(m.ptr, m.rows, m.tiles, wp, hp, op);
          ex.scatter_unpack(op, 0, m.rows, h, rowsP, hp, 0, dst, m.rows);
          get64(dst, out, m.rows * h);
        },
      );
    },

    matTMul(mm, gIn, h, out) {
      const m = own(mm, "matTMul");
      checkWidth("matTMul", h);
      checkLength("matTMul", "g", gIn, m.rows * h);
      checkLength("matTMul", "out", out, m.cols * h);
      if (h === 0 || m.cols === 0) return;
      const hp = roundUp4(h);
      const keptP = m.tiles * 4;
      const rowsP = m.blocks * 4;
      withScratch(
        [m.rows * h * 8, rowsP * hp * 4, keptP * hp * 4, m.cols * h * 8],
        ([src, gp, op, dst]) => {
          put64(src, gIn, m.rows * h, m.rows * h);
          ex.gather_pack(src, 0, m.rows, h, gp, rowsP, hp, 0);
          ex.mat_tmul(m.ptr, m.rows, m.tiles, gp, hp, op);
          // Output rows of dropped columns are zero.
          ex.scatter_unpack(op, m.idx, m.kept, h, keptP, hp, 1, dst, m.cols);
          get64(dst, out, m.cols * h);
        },
      );
    },
    streamSum(mm) {
      const m = own(mm, "streamSum");
      return ex.stream_sum(m.ptr, m.blocks * m.tiles);
    },

    memoryUse() {
      return { usedBytes: heap.usedBytes, totalBytes: heap.totalBytes };
    },
  };
}

/** True for the WebAssembly SIMD backend (which has the extras of WasmKernels). */
export function isWasmKernels(k: Kernels): k is WasmKernels {
  return k.name === NAME && "streamSum" in k;
}
