import type { WireError } from "./wire-types.js";

/** The JSON of an error answer: `{ "error": { "code": ..., "message": ... } }`. */
export function errorBody(code: string, message: string): WireError {
  return { error: { code, message } };
}
