/**
 * The soak's nodes, in a process of their own (so the parent's heap is the aggregator's): edge
 * nodes that the parent makes drop (the node stops, as a device that reboots) and rejoin after
 * a while under the same name. Talks to the parent over the IPC channel:
 *   parent -> { type: "start", url, names } | { type: "drop", name, ms } | { type: "stop" }
 *   child  -> { type: "rejoined", name } | { type: "stopped" }
 */
import { referenceKernels } from "../../src/core/linalg/reference-kernels.js";
import { EdgeNode, sharedLoadSplit } from "../../src/node/index.js";
import { tinyDigits } from "../../src/node/test-support/tiny-digits.js";

export type ToNodes =
  | { readonly type: "start"; readonly url: string; readonly names: readonly string[] }
  | { readonly type: "drop"; readonly name: string; readonly ms: number }
  | { readonly type: "stop" };
export type FromNodes =
  | { readonly type: "rejoined"; readonly name: string }
  | { readonly type: "stopped" };

const send = (m: FromNodes) => process.send?.(m);
const split = tinyDigits(300);
const loadSplit = sharedLoadSplit(async () => split);
const nodes = new Map<string, { node: EdgeNode; exit: Promise<unknown> }>();
let url = "";
let stopping = false;

function start(name: string): void {
  const node = new EdgeNode({
    aggregator: url,
    id: name,
    kernels: referenceKernels,
    loadSplit,
    backoff: { initialMs: 10, maxMs: 100 },
  });
  nodes.set(name, { node, exit: node.run() });
}

process.on("message", (m: ToNodes) => {
  switch (m.type) {
    case "start":
      url = m.url;
      for (const name of m.names) start(name);
      return;
    case "drop": {
      const n = nodes.get(m.name);
      if (n === undefined || stopping) return;
      n.node.stop("soak: dropped");
      void n.exit.then(() =>
        setTimeout(() => {
          if (stopping) return;
          start(m.name);
          send({ type: "rejoined", name: m.name });
        }, m.ms),
      );
      return;
    }
    case "stop":
      stopping = true;
      for (const { node } of nodes.values()) node.stop("soak: over");
      void Promise.all([...nodes.values()].map((n) => n.exit)).then(() => {
        send({ type: "stopped" });
        process.disconnect?.();
      });
      return;
  }
});
