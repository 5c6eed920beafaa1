/**
 * The part of the WebAssembly JavaScript API the kernels use. The project compiles against the
 * ES2022 library without DOM, and TypeScript declares `WebAssembly` only in the DOM library, so
 * the shapes are written here and the object is read from globalThis (where a runtime without
 * WebAssembly simply has none).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  /** Grows by `pages` 64 KiB pages; returns the old size in pages. */
  grow(pages: number): number;
}

/** An opaque compiled module. */
export type WasmModule = object;

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

/** The runtime's WebAssembly object, or undefined where there is none. */
export function webAssembly(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Bytes of one WebAssembly page. */
export const WASM_PAGE_BYTES = 65536;
