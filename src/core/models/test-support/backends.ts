import type { Kernels } from "../../linalg/kernels.js";
import { referenceKernels } from "../../linalg/reference-kernels.js";
import { getKernels } from "../../linalg/select-kernels.js";

/**
 * Every kernel backend the model tests run over: the kernel-path tests loop over this list, so
 * adding a backend is one line here.
 */
export const backends: readonly Kernels[] = [referenceKernels, getKernels("wasm-simd")];

/**
 * How far a backend's loss and gradient may stray from the plain float64 reference, relative to
 * the reference's size: the reference backend accumulates in float64 (only summation order
 * differs); the WebAssembly SIMD backend accumulates in float32 (measured on 1000 x 784 data:
 * losses within 3e-8, gradients within 8e-7 for every model), so it is held to 2e-5.
 */
export function backendTolerance(kernels: Kernels): number {
  return kernels.name === "reference" ? 1e-12 : 2e-5;
}
