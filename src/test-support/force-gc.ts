import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | undefined;

/**
 * A full garbage collection, also when node was started without --expose-gc (tests under
 * vitest): the flag is set at run time and `gc` taken from a fresh context, where V8 installs it.
 */
export function forceGc(): void {
  if (gc === undefined) {
    const own = (globalThis as { gc?: () => void }).gc;
    if (typeof own === "function") {
      gc = own;
    } else {
      setFlagsFromString("--expose-gc");
      gc = runInNewContext("gc") as () => void;
    }
  }
  gc();
}
