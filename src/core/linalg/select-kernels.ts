import type { Kernels } from "./kernels.js";
import { referenceKernels } from "./reference-kernels.js";
import { compileKernelModule, compileKernelModuleSync } from "./wasm/kernel-module.js";
import { wasmSimdSupported } from "./wasm/simd-support.js";
import { createWasmKernels, type WasmKernels } from "./wasm-kernels.js";

export type KernelPreference = "auto" | "reference" | "wasm-simd";

const PREFERENCES: readonly KernelPreference[] = ["auto", "reference", "wasm-simd"];

/**
 * Which backend a preference gets, given whether this runtime has WebAssembly SIMD. "auto" takes
 * the fastest available; asking for "wasm-simd" where it is missing is an error, not a silent
 * slowdown.
 */
export function chooseBackend(
  preference: KernelPreference,
  simdAvailable: boolean,
): "reference" | "wasm-simd" {
  if (!PREFERENCES.includes(preference)) {
    throw new RangeError(
      `Unknown kernels preference "${preference}": use one of ${PREFERENCES.join(", ")}`,
    );
  }
  if (preference === "reference") return "reference";
  if (simdAvailable) return "wasm-simd";
  if (preference === "wasm-simd") {
    throw new Error(
      'Kernels "wasm-simd" were requested, but this runtime does not support WebAssembly SIMD (Node 16.4+ or a current browser does); use "auto" to fall back to the reference kernels',
    );
  }
  return "reference";
}

// One wasm-simd instance (one WebAssembly memory) per thread, made on first use.
let wasmKernels: WasmKernels | undefined;

/**
 * The kernels for a preference, compiling the WebAssembly module synchronously on first use.
 * That suits Node and workers; a browser main thread refuses synchronous compilation of modules
 * over 4 KB, so browser pages should await `loadKernels` once first (after which this is sync).
 */
export function getKernels(preference: KernelPreference = "auto"): Kernels {
  if (chooseBackend(preference, wasmSimdSupported()) === "reference") return referenceKernels;
  wasmKernels ??= createWasmKernels(compileKernelModuleSync());
  return wasmKernels;
}

/** As `getKernels`, compiling the WebAssembly module asynchronously (safe on a browser main thread). */
export async function loadKernels(preference: KernelPreference = "auto"): Promise<Kernels> {
  if (chooseBackend(preference, wasmSimdSupported()) === "reference") return referenceKernels;
  if (wasmKernels === undefined) {
    const module = await compileKernelModule();
    wasmKernels ??= createWasmKernels(module);
  }
  return wasmKernels;
}
