import { kernelsWasmBase64 } from "./kernels-wasm.generated.js";
import { type WasmModule, webAssembly } from "./webassembly-api.js";

/** The kernels module's bytes, decoded with atob so the same code runs in Node and browsers. */
export function kernelModuleBytes(): Uint8Array {
  const text = atob(kernelsWasmBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function api() {
  const wasm = webAssembly();
  if (wasm === undefined) throw new Error("WebAssembly is not available in this runtime");
  return wasm;
}

/**
 * Compiles the kernels synchronously. Fine in Node and in workers; a browser main thread refuses
 * synchronous compilation of modules over 4 KB (this one is about 3 KB today, but use
 * `compileKernelModule` there so growth never breaks it).
 */
export function compileKernelModuleSync(): WasmModule {
  return new (api().Module)(kernelModuleBytes());
}

/** Compiles the kernels off the main thread where the runtime can. */
export function compileKernelModule(): Promise<WasmModule> {
  return api().compile(kernelModuleBytes());
}
