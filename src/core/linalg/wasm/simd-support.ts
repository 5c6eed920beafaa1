import { webAssembly } from "./webassembly-api.js";

/**
 * The smallest module that uses a SIMD instruction: one function returning `v128.const 0`.
 * A runtime without WebAssembly SIMD rejects it at validation, before anything is compiled.
 */
const SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version 1
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type section: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, // function section: one function of type 0
  0x0a,
  0x16,
  0x01,
  0x14,
  0x00,
  0xfd,
  0x0c, // code section: no locals, v128.const
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0, // ... its 16 zero bytes
  0x0b, // end
]);

/** True when this runtime has WebAssembly with the fixed-width SIMD proposal (Node 16.4+, current browsers). */
export function wasmSimdSupported(): boolean {
  const wasm = webAssembly();
  if (wasm === undefined) return false;
  try {
    return wasm.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}
